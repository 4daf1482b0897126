package io.mesosrunner.cluster.mesos.testmaster;

import java.util.ArrayList;
import java.util.List;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * ACCEPT: the offers it names, the master's validation of each task against them, the launch and
 * the filter on the unused rest. Every method expects the master's lock held.
 */
final class AcceptCall {
    private final MasterState m;

    AcceptCall(MasterState m) {
        this.m = m;
    }

    void accept(Framework fw, Call.Accept accept) {
        List<OfferState> used = new ArrayList<>();
        String invalid = takeOffers(fw, accept, used);
        if (invalid != null) {
            rejectAll(fw, accept, used, invalid);
            return;
        }
        FakeAgent agent = used.get(0).agent();
        ResourcePool remaining = used.get(0).pool().emptyLike();
        used.forEach(o -> remaining.addPool(o.pool()));
        for (Offer.Operation op : accept.getOperationsList()) {
            if (op.getType() != Offer.Operation.Type.LAUNCH) {
                m.violation("UNSUPPORTED_OPERATION", op.getType() + " is not supported by the test master");
                continue;
            }
            for (TaskInfo given : op.getLaunch().getTaskInfosList()) {
                TaskInfo task = fw.multiRole() ? given : injectAllocationInfo(given, fw.role());
                String error = validateTask(fw, task, agent, remaining);
                if (error != null) {
                    m.violation("INVALID_TASK", "task " + task.getTaskId().getValue() + ": " + error);
                    m.taskLife.masterUpdate(fw, m.taskLife.status(task.getTaskId(), TaskState.TASK_ERROR)
                            .setMessage(error).setReason(TaskStatus.Reason.REASON_TASK_INVALID)
                            .setAgentId(task.getAgentId()));
                    continue;
                }
                List<Resource> all = taskResources(task);
                remaining.subtract(all);
                m.taskLife.launch(fw, task, agent, all);
            }
        }
        agent.available.addPool(remaining);
        m.allocator.refuse(fw, agent, accept.getFilters(), remaining);
    }

    /** Removes the named offers from the outstanding ones into {@code used}; the reason they are invalid, or null. */
    private String takeOffers(Framework fw, Call.Accept accept, List<OfferState> used) {
        String invalid = null;
        for (OfferID id : accept.getOfferIdsList()) {
            OfferState o = m.offers.get(id.getValue());
            if (o == null || o.fw() != fw) {
                invalid = "Offer " + id.getValue() + " is no longer valid";
                break;
            }
            if (!used.isEmpty() && used.get(0).agent() != o.agent()) {
                invalid = "Aggregated offers must belong to one single agent. Offer " + id.getValue()
                        + " uses agent " + o.agent().agentId() + " and offer " + used.get(0).id() + " uses agent "
                        + used.get(0).agent().agentId();
                break;
            }
            used.add(o);
        }
        if (accept.getOfferIdsCount() == 0) {
            invalid = "No offers specified";
        }
        for (OfferState o : used) {
            m.offers.remove(o.id());
        }
        return invalid;
    }

    private void rejectAll(Framework fw, Call.Accept accept, List<OfferState> used, String invalid) {
        m.violation("INVALID_OFFERS", "ACCEPT with invalid offers: " + invalid);
        for (OfferState o : used) {
            o.agent().available.addPool(o.pool());
            m.allocator.refuse(fw, o.agent(), accept.getFilters(), o.pool());
        }
        for (TaskInfo task : launches(accept)) {
            m.taskLife.masterUpdate(fw, m.taskLife.status(task.getTaskId(),
                            fw.partitionAware() ? TaskState.TASK_DROPPED : TaskState.TASK_LOST)
                    .setMessage("Task launched with invalid offers: " + invalid)
                    .setReason(TaskStatus.Reason.REASON_INVALID_OFFERS)
                    .setAgentId(task.getAgentId()));
        }
    }

    private static List<TaskInfo> launches(Call.Accept accept) {
        List<TaskInfo> out = new ArrayList<>();
        for (Offer.Operation op : accept.getOperationsList()) {
            out.addAll(op.getLaunch().getTaskInfosList());
            op.getLaunchGroup().getTaskGroup().getTasksList().forEach(out::add);
        }
        return out;
    }

    private static TaskInfo injectAllocationInfo(TaskInfo task, String role) {
        TaskInfo.Builder b = task.toBuilder();
        for (int i = 0; i < b.getResourcesCount(); i++) {
            if (!b.getResources(i).hasAllocationInfo()) {
                b.setResources(i, b.getResources(i).toBuilder()
                        .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(role)));
            }
        }
        return b.build();
    }

    private static List<Resource> taskResources(TaskInfo task) {
        List<Resource> all = new ArrayList<>(task.getResourcesList());
        if (task.hasExecutor()) {
            all.addAll(task.getExecutor().getResourcesList());
        }
        return all;
    }

    private static String validateTask(Framework fw, TaskInfo task, FakeAgent agent, ResourcePool remaining) {
        if (task.getTaskId().getValue().isEmpty()) {
            return "Task ID must not be empty";
        }
        if (!task.getAgentId().getValue().equals(agent.agentId())) {
            return "Task uses invalid agent: " + task.getAgentId().getValue();
        }
        if (fw.tasks.containsKey(task.getTaskId().getValue())) {
            return "Task has duplicate ID: " + task.getTaskId().getValue();
        }
        if (task.hasCommand() == task.hasExecutor()) {
            return "Task should have at least one (but not both) of CommandInfo or ExecutorInfo present";
        }
        if (task.hasExecutor()) {
            return "Custom executors are not supported by the test master";
        }
        if (task.getCommand().getShell() && !task.getCommand().hasValue()) {
            return "Task's CommandInfo has 'shell' true but no 'value'";
        }
        List<Resource> all = taskResources(task);
        for (Resource r : all) {
            String error = validateResource(fw, r);
            if (error != null) {
                return error;
            }
        }
        if (!remaining.contains(all)) {
            return "Total resources " + ResourcePool.format(all)
                    + " required by task and its executor is more than available " + remaining.format(fw.role());
        }
        return null;
    }

    private static String validateResource(Framework fw, Resource r) {
        if (!r.hasAllocationInfo() || !r.getAllocationInfo().getRole().equals(fw.role())) {
            return "Invalid resources: resource " + ResourcePool.format(r)
                    + " must carry allocation_info with role '" + fw.role() + "'";
        }
        if (r.getReservationsCount() > 0 || r.hasReservation() || (r.hasRole() && !r.getRole().equals("*"))) {
            return "Invalid resources: resource " + ResourcePool.format(r)
                    + " is reserved, but the offer holds unreserved resources only";
        }
        if (r.getType() != Value.Type.SCALAR && r.getType() != Value.Type.RANGES) {
            return "Invalid resources: resource " + ResourcePool.format(r) + " has an unsupported type";
        }
        if (r.getType() == Value.Type.SCALAR && !(r.getScalar().getValue() > 0)) {
            return "Invalid resources: scalar resource " + r.getName() + " must be positive (got "
                    + r.getScalar().getValue() + ")";
        }
        return null;
    }
}
