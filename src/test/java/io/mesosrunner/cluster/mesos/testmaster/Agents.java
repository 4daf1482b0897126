package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Agents coming and going: registration, an agent that stops answering (offers rescinded, tasks
 * unreachable or lost, FAILURE), and its re-registration. Every method expects the master's lock held.
 */
final class Agents {
    private final MasterState m;

    Agents(MasterState m) {
        this.m = m;
    }

    FakeAgent add(AgentSpec spec, boolean started) {
        String id = spec.id().isEmpty() ? m.masterId + "-S" + m.agentSeq.getAndIncrement() : spec.id();
        if (m.agents.containsKey(id)) {
            throw new IllegalArgumentException("agent '" + id + "' already exists");
        }
        try {
            FakeAgent agent = new FakeAgent(spec, id, m.config.agentFilesServers);
            m.agents.put(id, agent);
            if (started) {
                // The allocator allocates a new agent's resources at once (as for re-registration).
                m.allocator.allocateSoon();
            }
            return agent;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start fake agent '" + id + "'", e);
        }
    }

    void remove(String agentId) {
        FakeAgent agent = m.requireAgent(agentId);
        agent.reachable = false;
        m.allocator.rescindOffersOn(agent);
        m.later(m.config.agentRemovalDelay, () -> removed(agent));
    }

    private void removed(FakeAgent agent) {
        if (agent.reachable) {
            return;
        }
        agent.removed = true;
        long nanos = m.timers.now().toEpochMilli() * 1_000_000L;
        for (Framework fw : m.frameworks.values()) {
            for (MasterTask t : fw.tasks.values()) {
                if (t.agent == agent && !t.terminal && !t.unreachable) {
                    t.unreachable = true;
                    t.unreachableTime = TimeInfo.newBuilder().setNanoseconds(nanos).build();
                    m.taskLife.masterUpdate(fw, m.taskLife.status(t.info.getTaskId(), fw.partitionAware()
                                    ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST)
                            .setMessage("health check timed out")
                            .setReason(TaskStatus.Reason.REASON_AGENT_REMOVED).setAgentId(t.info.getAgentId())
                            .setUnreachableTime(t.unreachableTime));
                }
            }
            m.streams.send(fw, Event.newBuilder().setType(Event.Type.FAILURE)
                    .setFailure(Event.Failure.newBuilder().setAgentId(AgentID.newBuilder().setValue(agent.agentId())))
                    .build());
        }
    }

    void reAdd(String agentId) {
        FakeAgent agent = m.requireAgent(agentId);
        agent.reachable = true;
        agent.removed = false;
        for (Framework fw : m.frameworks.values()) {
            for (MasterTask t : fw.tasks.values()) {
                if (t.agent != agent) {
                    continue;
                }
                if (t.unreachable) {
                    t.unreachable = false;
                    m.taskLife.masterUpdate(fw, m.taskLife.status(t.info.getTaskId(), t.state)
                            .setMessage("Unreachable agent re-reregistered")
                            .setReason(TaskStatus.Reason.REASON_AGENT_REREGISTERED).setAgentId(t.info.getAgentId())
                            .setContainerStatus(t.containerStatus()));
                }
                m.taskLife.sendHead(t);
            }
        }
        m.allocator.allocateSoon();
    }
}
