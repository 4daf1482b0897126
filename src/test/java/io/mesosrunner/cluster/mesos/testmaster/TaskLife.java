package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;

import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.ExecutorID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Task life: a launched task's script (STARTING, RUNNING, its end), KILL, the executor's update
 * queue with acknowledgements and resends, reconciliation. The habits table's rows "task life"
 * (see {@code package-info.java}). Every method expects the master's lock held.
 */
final class TaskLife {
    /** The agent's cap on the doubling interval of status update resends. */
    static final Duration MAX_RETRY = Duration.ofMinutes(10);

    private final MasterState m;

    TaskLife(MasterState m) {
        this.m = m;
    }

    void launch(Framework fw, TaskInfo info, FakeAgent agent, List<Resource> resources) {
        TaskBehaviour behaviour = m.config.behaviours != null ? m.config.behaviours.apply(info)
                : TaskBehaviour.finishAfter(m.config.defaultRunTime).withStdout("hello from " + info.getTaskId().getValue());
        MasterTask t = new MasterTask(fw, info, agent, behaviour, resources, UUID.randomUUID().toString(),
                20000 + m.random.nextInt(40000));
        fw.tasks.put(t.id(), t);
        m.launched.add(info);
        agent.createSandbox(fw.id, t.id(), t.containerId);
        if (behaviour.launchFailure() != TaskBehaviour.LaunchFailure.NONE) {
            new AgentLaunchFailures(m, this).play(t, behaviour.launchFailure());
            return;
        }
        step(t, m.config.stepDelay, false, () -> {
            glog(t, "exec.cpp:164] Version: 1.12.0");
            glog(t, "exec.cpp:237] Executor registered on agent " + agent.agentId());
            glog(t, "executor.cpp:190] Received SUBSCRIBED event");
            glog(t, "executor.cpp:194] Subscribed executor on " + agent.spec().hostname());
            glog(t, "executor.cpp:190] Received LAUNCH event");
            glog(t, "executor.cpp:722] Starting task " + t.id());
            executorUpdate(t, TaskState.TASK_STARTING, null);
            step(t, m.config.stepDelay, false, () -> {
                glog(t, "executor.cpp:740] Forked command at " + (t.pid + 6));
                behaviour.stdout().forEach(l -> agent.append(fw.id, t.id(), "stdout", l + "\n"));
                behaviour.stderr().forEach(l -> agent.append(fw.id, t.id(), "stderr", l + "\n"));
                behaviour.files().forEach((name, bytes) -> agent.writeFile(fw.id, t.id(), name, bytes));
                executorUpdate(t, TaskState.TASK_RUNNING, null);
                behaviour.runFor().ifPresent(d -> step(t, d, false, () -> exit(t, behaviour.exitCode())));
            });
        });
    }

    void exit(MasterTask t, int code) {
        glog(t, "executor.cpp:1041] Command exited with status " + code + " (pid: " + (t.pid + 6) + ")");
        executorUpdate(t, code == 0 ? TaskState.TASK_FINISHED : TaskState.TASK_FAILED,
                "Command exited with status " + code);
    }

    /** Appends a glog line ({@code Immdd hh:mm:ss.uuuuuu pid text}) to the task's stderr. */
    private void glog(MasterTask t, String text) {
        LocalDateTime now = LocalDateTime.now();
        // Built by hand: String.format was a tenth of the master's CPU in the makespan bench.
        StringBuilder line = new StringBuilder(32 + text.length()).append('I');
        twoDigits(line, now.getMonthValue());
        twoDigits(line, now.getDayOfMonth());
        twoDigits(line.append(' '), now.getHour());
        twoDigits(line.append(':'), now.getMinute());
        twoDigits(line.append(':'), now.getSecond());
        String micros = Integer.toString(now.getNano() / 1000);
        line.append('.').append("000000", micros.length(), 6).append(micros);
        line.append(' ').append(t.pid).append(' ').append(text).append(System.lineSeparator());
        t.agent.append(t.fw.id, t.id(), "stderr", line.toString());
    }

    private static void twoDigits(StringBuilder sb, int v) {
        sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /**
     * Runs a step of a task's script after {@code delay}, under the lock, unless the task is gone,
     * terminal or (for script steps) being killed; while its agent is unreachable the step waits.
     */
    void step(MasterTask t, Duration delay, boolean evenIfKilled, Runnable action) {
        if (m.closed) {
            return;
        }
        m.later(delay, () -> {
            if (t.gone || t.terminal || (t.killRequested && !evenIfKilled)) {
                return;
            }
            if (!t.agent.reachable) {
                step(t, Duration.ofMillis(20), evenIfKilled, action);
                return;
            }
            action.run();
        });
    }

    void kill(Framework fw, Call.Kill kill) {
        MasterTask t = fw.tasks.get(kill.getTaskId().getValue());
        if (t == null) {
            reconcileUnknown(fw, kill.getTaskId(), kill.hasAgentId() ? kill.getAgentId() : null);
            return;
        }
        if (t.terminal || t.killRequested) {
            return;
        }
        t.killRequested = true;
        if (fw.killingState()) {
            step(t, Duration.ofMillis(1), true, () -> executorUpdate(t, TaskState.TASK_KILLING, null));
        }
        step(t, m.config.killDelay, true, () -> {
            glog(t, "executor.cpp:1041] Command terminated with signal Terminated (pid: " + (t.pid + 6) + ")");
            executorUpdate(t, TaskState.TASK_KILLED, "Command terminated with signal Terminated");
        });
    }

    /** The task is gone from the cluster without an update (teardown, forget). */
    void stopTask(MasterTask t) {
        t.gone = true;
        if (t.retry != null) {
            t.retry.cancel(false);
        }
        if (!t.terminal) {
            t.terminal = true;
            t.agent.available.addResources(t.resources);
        }
    }

    void acknowledge(Framework fw, Call.Acknowledge ack) {
        ByteString uuid = ack.getUuid();
        if (!m.everSent.contains(uuid)) {
            m.violation("UNKNOWN_ACKNOWLEDGEMENT", "ACKNOWLEDGE of task " + ack.getTaskId().getValue()
                    + " with a uuid the master never sent");
            return;
        }
        m.unacked.remove(uuid);
        MasterTask t = fw.tasks.get(ack.getTaskId().getValue());
        if (t == null || t.queue.isEmpty() || !t.queue.peek().getUuid().equals(uuid)) {
            return;
        }
        t.queue.poll();
        if (t.retry != null) {
            t.retry.cancel(false);
            t.retry = null;
        }
        if (t.queue.isEmpty()) {
            if (t.terminal) {
                fw.tasks.remove(t.id());
            }
        } else {
            sendHead(t);
        }
    }

    void reconcile(Framework fw, Call.Reconcile reconcile) {
        if (reconcile.getTasksCount() == 0) {
            for (MasterTask t : List.copyOf(fw.tasks.values())) {
                reconcileKnown(t);
            }
            return;
        }
        for (Call.Reconcile.Task rt : reconcile.getTasksList()) {
            MasterTask t = fw.tasks.get(rt.getTaskId().getValue());
            if (t != null) {
                reconcileKnown(t);
            } else {
                reconcileUnknown(fw, rt.getTaskId(), rt.hasAgentId() ? rt.getAgentId() : null);
            }
        }
    }

    private void reconcileKnown(MasterTask t) {
        if (t.unreachable) {
            masterUpdate(t.fw, status(t.info.getTaskId(), t.fw.partitionAware() ? TaskState.TASK_UNREACHABLE
                    : TaskState.TASK_LOST).setMessage("Reconciliation: Task is unreachable")
                    .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                    .setAgentId(t.info.getAgentId()).setUnreachableTime(t.unreachableTime));
            return;
        }
        TaskStatus.Builder s = status(t.info.getTaskId(), t.state).setMessage("Reconciliation: Latest task state")
                .setReason(TaskStatus.Reason.REASON_RECONCILIATION).setAgentId(t.info.getAgentId());
        if (t.state != TaskState.TASK_STAGING) {
            s.setContainerStatus(t.containerStatus());
        }
        masterUpdate(t.fw, s);
    }

    private void reconcileUnknown(Framework fw, TaskID taskId, AgentID agentId) {
        FakeAgent agent = agentId == null ? null : m.agents.get(agentId.getValue());
        boolean pa = fw.partitionAware();
        TaskStatus.Builder s;
        if (agent == null) {
            s = status(taskId, pa ? TaskState.TASK_UNKNOWN : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unknown");
        } else if (!agent.reachable) {
            s = status(taskId, pa ? TaskState.TASK_UNREACHABLE : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unreachable").setAgentId(agentId);
        } else {
            s = status(taskId, pa ? TaskState.TASK_GONE : TaskState.TASK_LOST)
                    .setMessage("Reconciliation: Task is unknown to the agent").setAgentId(agentId);
        }
        masterUpdate(fw, s.setReason(TaskStatus.Reason.REASON_RECONCILIATION));
    }

    // ------------------------------------------------------------------------------------------
    // updates

    TaskStatus.Builder status(TaskID taskId, TaskState state) {
        return TaskStatus.newBuilder().setTaskId(taskId).setState(state)
                .setTimestamp(m.timers.now().toEpochMilli() / 1000.0);
    }

    void masterUpdate(Framework fw, TaskStatus.Builder status) {
        status.setSource(TaskStatus.Source.SOURCE_MASTER);
        m.streams.send(fw, update(status.build()));
    }

    static Event update(TaskStatus status) {
        return Event.newBuilder().setType(Event.Type.UPDATE).setUpdate(Event.Update.newBuilder().setStatus(status))
                .build();
    }

    /** An update from the task's command executor: queued per task, sent head first. */
    private void executorUpdate(MasterTask t, TaskState state, String message) {
        TaskStatus.Builder s = status(t.info.getTaskId(), state).setSource(TaskStatus.Source.SOURCE_EXECUTOR)
                .setContainerStatus(t.containerStatus());
        queue(t, s, message);
    }

    /**
     * An update the agent itself makes about a task whose executor cannot report (it never
     * registered, or its container never launched): same queue, acknowledgements and resends.
     */
    void agentUpdate(MasterTask t, TaskState state, TaskStatus.Reason reason, String message) {
        queue(t, status(t.info.getTaskId(), state).setSource(TaskStatus.Source.SOURCE_AGENT).setReason(reason), message);
    }

    private void queue(MasterTask t, TaskStatus.Builder s, String message) {
        TaskState state = s.getState();
        byte[] uuid = new byte[16];
        m.random.nextBytes(uuid);
        s.setAgentId(t.info.getAgentId()).setExecutorId(ExecutorID.newBuilder().setValue(t.id()))
                .setUuid(ByteString.copyFrom(uuid));
        if (message != null) {
            s.setMessage(message);
        }
        t.state = state;
        if (isTerminal(state)) {
            t.terminal = true;
            t.agent.available.addResources(t.resources);
            if (state == TaskState.TASK_FINISHED) {
                m.finishedCounts.merge(t.id(), 1, Integer::sum);
            }
        }
        t.queue.add(s.build());
        if (t.queue.size() == 1) {
            sendHead(t);
        }
        m.changed.signalAll();
    }

    /** Sends the oldest unacknowledged update of a task, if its framework and agent can be reached. */
    void sendHead(MasterTask t) {
        TaskStatus head = t.queue.peek();
        if (head == null || t.gone || !t.agent.reachable || t.fw.stream == null) {
            return;
        }
        if (!m.streams.send(t.fw, update(head))) {
            return;
        }
        m.everSent.add(head.getUuid());
        m.unacked.putIfAbsent(head.getUuid(), new TestMaster.SentUpdate(m.timers.now(), t.fw.id, head));
        if (t.lastSent != head) {
            t.retryBackoff = m.config.updateRetryInterval;
        }
        t.lastSent = head;
        if (t.retry != null) {
            t.retry.cancel(false);
        }
        // The agent's status update manager resends the same bytes after 10 s, 20 s, 40 s, ... (10 min cap).
        t.retry = m.later(t.retryBackoff, () -> {
            if (t.queue.peek() == head) {
                Duration doubled = t.retryBackoff.multipliedBy(2);
                t.retryBackoff = doubled.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : doubled;
                sendHead(t);
            }
        });
    }

    /** Sends the task's last sent executor update again (same uuid), as an agent retry does. */
    void resendLast(String taskId) {
        MasterTask t = m.findTask(taskId);
        if (t.lastSent == null) {
            throw new IllegalStateException("task '" + taskId + "' has sent no update yet");
        }
        m.streams.send(t.fw, update(t.lastSent));
    }

    /** Sends a test's own update to the first subscribed framework; one with a uuid awaits its acknowledgement. */
    void sendCustom(TaskStatus status) {
        Framework fw = m.frameworks.values().stream().filter(f -> f.stream != null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no framework is subscribed"));
        if (m.streams.send(fw, update(status)) && status.hasUuid()) {
            m.everSent.add(status.getUuid());
            m.unacked.putIfAbsent(status.getUuid(), new TestMaster.SentUpdate(m.timers.now(), fw.id, status));
        }
    }

    /** Ends a task now with this exit code, unless it has ended. */
    void complete(String taskId, int exitCode) {
        MasterTask t = m.findTask(taskId);
        if (!t.terminal) {
            exit(t, exitCode);
        }
    }

    static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED, TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE,
                    TASK_GONE_BY_OPERATOR -> true;
            default -> false;
        };
    }
}
