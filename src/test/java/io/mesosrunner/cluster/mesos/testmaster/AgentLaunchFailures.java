package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Duration;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Launches a busy or misconfigured agent fails before the task's command starts: an executor that
 * does not register in time, and a fetcher that cannot fetch a URI. The habits table's rows
 * "executorRegistrationTimeout" and "fetcherFailureFailsTheLaunch" (see {@code package-info.java}),
 * chosen from the agent's source ({@code slave.cpp}), not recorded. Every method expects the master's
 * lock held.
 */
final class AgentLaunchFailures {
    private final MasterState m;
    private final TaskLife life;

    AgentLaunchFailures(MasterState m, TaskLife life) {
        this.m = m;
        this.life = life;
    }

    void play(MasterTask t, TaskBehaviour.LaunchFailure failure) {
        switch (failure) {
            case EXECUTOR_REGISTRATION_TIMEOUT -> {
                // Slave::registerExecutorTimeout: the executor is destroyed and its tasks failed.
                Duration after = m.config.executorRegistrationTimeout;
                life.step(t, after, true, () -> life.agentUpdate(t, TaskState.TASK_FAILED,
                        TaskStatus.Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT,
                        "Executor did not register within " + stoutDuration(after)));
            }
            case FETCH_FAILED -> life.step(t, m.config.stepDelay, true, () -> {
                // The fetcher writes its failure into the sandbox; Slave::executorLaunched fails the
                // container's launch and the task with it.
                String uri = t.info.getCommand().getUrisCount() == 0 ? "(none)"
                        : t.info.getCommand().getUris(0).getValue();
                t.agent.append(t.fw.id, t.id(), "stderr", "Failed to fetch '" + uri + "': no such file\n");
                life.agentUpdate(t, TaskState.TASK_FAILED, TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED,
                        "Failed to launch container: Failed to fetch all URIs for container '" + t.containerId
                                + "': exited with status 1");
            });
            case NONE -> throw new IllegalArgumentException("a launch that does not fail has nothing to play");
        }
    }

    /** A duration as stout's {@code stringify} writes it in the agent's messages: {@code 1mins}, {@code 10secs}, {@code 300ms}. */
    static String stoutDuration(Duration d) {
        if (d.toMillis() % 60_000 == 0) return d.toMinutes() + "mins";
        if (d.toMillis() % 1000 == 0) return d.toSeconds() + "secs";
        return d.toMillis() + "ms";
    }
}
