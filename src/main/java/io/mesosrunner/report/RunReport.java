package io.mesosrunner.report;

import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The machine-readable summary of one run (written by {@code --report FILE} as JSON, drawn by
 * {@code --html FILE}). Immutable: built once from a {@link RunSnapshot} at the end of a run, or
 * from the run's journal by {@code runner report}. Times are ISO-8601 strings in UTC; durations
 * are seconds.
 *
 * @param cpusPerTask the cpus each task of the job holds, or null when not known (a journal
 *                    written before the runner recorded utilisation)
 * @param utilisation samples of the cpus in use and offered over time, with the wait reason;
 *                    empty for journals written before the runner recorded them
 * @param steps       a pipeline's steps in dependency order, each with its outcome; empty for a
 *                    single job
 */
public record RunReport(
    String job, String jobFile, String fileSha256, String gitCommit, String runId, String cluster,
    String frameworkId, String outcome, int exitCode, String reason, String startedAt, String endedAt,
    double wallSeconds, int instances, int completed, int failed, long attempts, List<Instance> instanceList,
    Double cpusPerTask, List<Sample> utilisation, List<Step> steps) {

  public RunReport {
    instanceList = List.copyOf(instanceList);
    utilisation = List.copyOf(utilisation);
    steps = List.copyOf(steps);
  }

  /** A report of a single job (no steps). */
  public RunReport(String job, String jobFile, String fileSha256, String gitCommit, String runId, String cluster,
      String frameworkId, String outcome, int exitCode, String reason, String startedAt, String endedAt,
      double wallSeconds, int instances, int completed, int failed, long attempts, List<Instance> instanceList,
      Double cpusPerTask, List<Sample> utilisation) {
    this(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, exitCode, reason, startedAt, endedAt,
        wallSeconds, instances, completed, failed, attempts, instanceList, cpusPerTask, utilisation, List.of());
  }

  /**
   * One step of a pipeline: its instances are {@code first .. first+instances-1} of
   * {@link #instanceList()}.
   *
   * @param state   {@code SUCCEEDED}, {@code FAILED}, {@code SKIPPED} (a step it needs failed or
   *                was skipped), {@code NOT_RUN} (the run stopped before it could start),
   *                {@code RUNNING} or {@code WAITING}
   * @param reason  why it was skipped, or null
   * @param outputs the step's declared outputs, and where they are collected for each instance
   */
  public record Step(String name, List<String> needs, int first, int instances, int completed, int failed,
      String state, String reason, List<String> outputs, String outputDir) {
    public Step {
      needs = List.copyOf(needs);
      outputs = List.copyOf(outputs);
    }
  }

  /** This report with a pipeline's steps. */
  public RunReport withSteps(List<Step> newSteps) {
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, exitCode, reason,
        startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpusPerTask, utilisation,
        newSteps);
  }

  /** The step holding instance {@code index}, or null for a single job. */
  public Step stepOf(int index) {
    for (Step s : steps) {
      if (index >= s.first() && index < s.first() + s.instances()) return s;
    }
    return null;
  }

  /** How instance {@code index} is named to a reader: {@code 3}, or {@code transform/3} in a pipeline. */
  public String label(int index) {
    Step s = stepOf(index);
    return s == null ? Integer.toString(index) : s.name() + "/" + (index - s.first());
  }

  /** One instance: its index, final state and every attempt. */
  public record Instance(int index, String state, int failures, int losses, List<Attempt> attempts) {
    public Instance {
      attempts = List.copyOf(attempts);
    }

    /** The latest attempt, or null. */
    public Attempt lastAttempt() {
      return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }
  }

  /**
   * One attempt (one task).
   *
   * @param state      {@code TASK_...}, or null when no state was recorded after the launch
   * @param stderrTail the last lines of stderr when the attempt did not finish, else empty
   */
  public record Attempt(
      String taskId, int attempt, String agentId, String hostname, String state, Integer exitCode,
      String message, String cause, String startedAt, String endedAt, String sandbox, List<String> stderrTail) {
    public Attempt {
      stderrTail = stderrTail == null ? List.of() : List.copyOf(stderrTail);
    }
  }

  /**
   * A utilisation sample: from {@code at} until the next sample.
   *
   * @param waitReason why instances waited, or null when none did
   */
  public record Sample(String at, double cpusInUse, double cpusOffered, int running, int waiting, String waitReason) {}

  /** This report with another exit code. */
  /** This report with the cpus each task holds, when the samples did not tell it. */
  public RunReport withCpusPerTask(double cpus) {
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, exitCode, reason,
        startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpus, utilisation, steps);
  }

  public RunReport withExitCode(int code) {
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, code, reason,
        startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpusPerTask, utilisation,
        steps);
  }

  /** Losses over all instances. */
  public long losses() {
    long n = 0;
    for (Instance i : instanceList) n += i.losses();
    return n;
  }

  /** Failed attempts over all instances. */
  public long failedAttempts() {
    long n = 0;
    for (Instance i : instanceList) n += i.failures();
    return n;
  }

  /**
   * Builds the report from what a run ended with.
   *
   * @param sandboxOf  where a task's files are, or null
   * @param stderrOf   the last stderr lines of a task that did not finish, or an empty list
   * @param exitCode   the exit code the runner returns
   */
  public static RunReport of(RunSnapshot s, Function<String, String> sandboxOf,
      Function<String, List<String>> stderrOf, int exitCode) {
    List<Instance> list = new ArrayList<>(s.instances().size());
    int completed = 0;
    int failed = 0;
    long attempts = 0;
    for (InstanceRecord r : s.instances()) {
      List<Attempt> atts = new ArrayList<>(r.attempts().size());
      for (AttemptRecord a : r.attempts()) {
        atts.add(new Attempt(a.taskId(), a.attempt(), a.agentId(), a.hostname(),
            a.state() == null ? null : "TASK_" + a.state(), a.exitCode(), a.message(),
            a.cause() == null ? null : a.cause().name(), str(a.startedAt()), str(a.endedAt()),
            sandboxOf.apply(a.taskId()), a.state() == TaskState.FINISHED ? List.of() : stderrOf.apply(a.taskId())));
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
    return new RunReport(s.job(), s.jobFile(), s.fileSha256(), s.gitCommit(), s.runId(), s.cluster(),
        s.frameworkId(), s.outcome(), exitCode, s.reason(), str(s.startedAt()), str(s.endedAt()), wall, list.size(),
        completed, failed, attempts, list, s.cpusPerTask(), s.utilisation());
  }

  /**
   * Builds the report from a run's journal records (oldest first), as {@code runner report} does.
   * Works for journals of any runner version: what an old journal lacks (utilisation samples,
   * stderr tails) is empty.
   *
   * @param exitCode the exit code the run returned (or would return)
   * @throws IllegalArgumentException when the records do not describe one run
   */
  public static RunReport fromJournal(List<? extends JournalRecord> records, int exitCode) {
    return fromJournal(records, exitCode, null);
  }

  /**
   * As {@link #fromJournal(List, int)}, for a run that may have ended without an end record
   * (interrupted, or its cluster lost): its outcome is then {@code unendedOutcome}.
   */
  public static RunReport fromJournal(List<? extends JournalRecord> records, int exitCode, String unendedOutcome) {
    RunState state = RunState.fold(records);
    List<Sample> samples = new ArrayList<>();
    Double cpusPerTask = null;
    Map<String, List<String>> tails = new HashMap<>();
    long endMs = state.started().startedAtEpochMs();
    for (JournalRecord r : records) {
      if (r instanceof JournalRecord.Utilisation u) {
        samples.add(new Sample(Times.iso(u.atEpochMs()), u.cpusInUseMilli() / 1000.0,
            u.cpusOfferedMilli() / 1000.0, u.running(), u.waiting(), u.waitReason()));
        if (cpusPerTask == null && u.running() > 0) cpusPerTask = Math.round((double) u.cpusInUseMilli() / u.running()) / 1000.0;
      } else if (r instanceof JournalRecord.StderrTail t) {
        tails.put(t.taskId(), t.lines().isEmpty() ? List.of() : Arrays.asList(t.lines().split("\n", -1)));
      } else if (r instanceof JournalRecord.RunEnded e) {
        endMs = Math.max(endMs, e.atEpochMs());
      } else if (r instanceof JournalRecord.TaskStateChanged c) {
        endMs = Math.max(endMs, c.atEpochMs());
      } else if (r instanceof JournalRecord.TaskLaunched l) {
        endMs = Math.max(endMs, l.atEpochMs());
      }
    }
    List<Instance> list = new ArrayList<>(state.instances().size());
    int completed = 0;
    int failed = 0;
    long attempts = 0;
    for (RunState.Instance i : state.instances()) {
      List<Attempt> atts = new ArrayList<>(i.attempts().size());
      for (RunState.Attempt a : i.attempts()) {
        atts.add(new Attempt(a.taskId(), a.attempt(), a.agentId(), a.hostname(),
            a.state() == null ? null : "TASK_" + a.state(), a.exitCode(), a.message(),
            a.cause() == null ? null : a.cause().name(), Times.iso(a.launchedAtEpochMs()),
            a.settled() ? Times.iso(a.updatedAtEpochMs()) : null, null,
            tails.getOrDefault(a.taskId(), List.of())));
      }
      attempts += atts.size();
      String st;
      if (i.completed()) {
        st = "DONE";
        completed++;
      } else if (i.failed()) {
        st = "FAILED";
        failed++;
      } else if (state.ended()) {
        st = "ABANDONED";
      } else if (i.lastAttempt() != null && !i.lastAttempt().settled()) {
        st = "ACTIVE";
      } else {
        st = "PENDING";
      }
      list.add(new Instance(i.index(), st, i.failures(), i.losses(), atts));
    }
    JournalRecord.RunStarted s = state.started();
    String startedAt = Times.iso(s.startedAtEpochMs());
    String endedAt = state.ended() ? Times.iso(endMs) : null;
    return new RunReport(s.jobName(), s.jobFile(), s.fileSha256(), s.gitCommit(), s.runId(), s.cluster(),
        state.frameworkId(), state.outcome() != null ? state.outcome().name() : unendedOutcome, exitCode,
        state.endReason(),
        startedAt, endedAt, (endMs - s.startedAtEpochMs()) / 1000.0, list.size(), completed, failed, attempts, list,
        cpusPerTask, samples);
  }

  private static String str(Instant t) {
    return t == null ? null : t.toString();
  }
}
