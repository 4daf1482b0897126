package io.mesosrunner.report;

import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.JobScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The machine-readable summary of one run (written by {@code --report FILE} as JSON). Times are
 * ISO-8601 strings in UTC; durations are seconds.
 */
public record RunReport(
    String job, String jobFile, String fileSha256, String gitCommit, String runId, String cluster,
    String frameworkId, String outcome, int exitCode, String reason, String startedAt, String endedAt,
    double wallSeconds, int instances, int completed, int failed, long attempts, List<Instance> instanceList) {

  /** One instance: its index, final state and every attempt. */
  public record Instance(int index, String state, int failures, int losses, List<Attempt> attempts) {}

  /** One attempt (one task). */
  public record Attempt(
      String taskId, int attempt, String agentId, String hostname, String state, Integer exitCode,
      String message, String cause, String startedAt, String endedAt, String sandbox) {}

  /**
   * Builds the report from a finished (or running) scheduler.
   *
   * @param cluster   the cluster's description
   * @param sandboxOf where a task's files are, or null
   * @param exitCode  the exit code the runner returns
   */
  public static RunReport of(JobScheduler s, String cluster, Function<String, String> sandboxOf, int exitCode) {
    List<Instance> list = new ArrayList<>();
    int completed = 0;
    int failed = 0;
    long attempts = 0;
    for (InstanceRecord r : s.instances()) {
      List<Attempt> atts = new ArrayList<>(r.attempts().size());
      for (AttemptRecord a : r.attempts()) {
        atts.add(new Attempt(a.taskId(), a.attempt(), a.agentId(), a.hostname(), "TASK_" + a.state(), a.exitCode(),
            a.message(), a.cause() == null ? null : a.cause().name(), str(a.startedAt()), str(a.endedAt()),
            sandboxOf.apply(a.taskId())));
      }
      attempts += atts.size();
      switch (r.state()) {
        case DONE -> completed++;
        case FAILED -> failed++;
        default -> { }
      }
      list.add(new Instance(r.index(), r.state().name(), r.failures(), r.losses(), atts));
    }
    Instant end = s.endedAt() == null ? s.startedAt() : s.endedAt();
    double wall = Duration.between(s.startedAt(), end).toMillis() / 1000.0;
    return new RunReport(s.job().name(), s.run().jobFile(), s.run().fileSha256(), s.run().gitCommit(), s.run().runId(),
        cluster, s.frameworkId(), s.outcome() == null ? null : s.outcome().name(), exitCode, s.outcomeReason(),
        str(s.startedAt()), str(s.endedAt()), wall, list.size(), completed, failed, attempts, list);
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
