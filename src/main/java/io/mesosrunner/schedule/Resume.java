package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;


import java.util.List;

/**
 * What an earlier, interrupted run of the same job file had done, for a scheduler that carries
 * it on: which instances completed, how often each failed or was lost, and which tasks may still
 * be running.
 *
 * @param frameworkId the framework the earlier run was registered as, or null
 * @param instances   every instance with a history (others start fresh)
 * @param adoptLive   whether tasks that may still run can be adopted after reconciliation
 *                    (Mesos); when false (the local cluster, whose processes died with the
 *                    runner or were killed), they count as lost and are launched again
 */
public record Resume(String frameworkId, List<Instance> instances, boolean adoptLive) {
  public Resume {
    instances = List.copyOf(instances);
  }

  /** One instance's history: every task it had, oldest first. */
  public record Instance(int index, boolean completed, boolean failed, int failures, int losses, int attempts,
      List<Task> tasks) {
    public Instance {
      tasks = List.copyOf(tasks);
    }
  }

  /**
   * A task the earlier run launched. When {@code state} is null or not terminal, it may still
   * run. {@code unreachableSince} is when its agent became unreachable, while the run waited out
   * the grace for it to come back, else null.
   */
  public record Task(String taskId, int attempt, String agentId, String hostname, TaskState state, Integer exitCode,
      String message, AttemptRecord.EndCause cause, java.time.Instant startedAt, java.time.Instant endedAt,
      java.time.Instant unreachableSince) {

    /** A task that was not waiting for its unreachable agent. */
    public Task(String taskId, int attempt, String agentId, String hostname, TaskState state, Integer exitCode,
        String message, AttemptRecord.EndCause cause, java.time.Instant startedAt, java.time.Instant endedAt) {
      this(taskId, attempt, agentId, hostname, state, exitCode, message, cause, startedAt, endedAt, null);
    }

    /** Whether it is known to have ended. */
    public boolean settled() {
      return state != null && state.isTerminal();
    }
  }
}
