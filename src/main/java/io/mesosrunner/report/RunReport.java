package io.mesosrunner.report;

import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskReason;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunFold;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.RunStatus;
import io.mesosrunner.state.RunView;
import io.mesosrunner.state.RunnerExit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The machine-readable summary of one run (written by {@code --report FILE} as JSON, drawn by
 * {@code --html FILE}). Immutable: built from the one fold of the run's journal ({@link RunFold})
 * and its {@link RunView}, the same at the end of {@code run} as in {@code runner report} and
 * {@code status -o json}; or
 * from the run's journal by {@code runner report}. Times are ISO-8601 strings in UTC; durations
 * are seconds.
 *
 * @param cpusPerTask the cpus each task of the job holds, or null when not known (a journal
 *                    written before the runner recorded utilisation)
 * @param utilisation samples of the cpus in use and offered over time, with the wait reason;
 *                    empty for journals written before the runner recorded them
 * @param outcome     the recorded end ({@code SUCCEEDED}, {@code FAILED}, {@code KILLED}, ...), or
 *                    the one its runner's exit code tells, or null while none is known
 * @param state       where the run stands, as every command words it ({@link RunStatus#word()})
 * @param exitCode    the run's exit code, or null while it runs
 * @param steps       a pipeline's steps in dependency order, each with its outcome; empty for a
 *                    single job
 */
public record RunReport(
    String job, String jobFile, String fileSha256, String gitCommit, String runId, String cluster,
    String frameworkId, String outcome, String state, Integer exitCode, String reason, String startedAt,
    String endedAt, double wallSeconds, int instances, int completed, int failed, long attempts,
    List<Instance> instanceList, Double cpusPerTask, List<Sample> utilisation, List<Step> steps) {

  public RunReport {
    instanceList = List.copyOf(instanceList);
    utilisation = List.copyOf(utilisation);
    steps = List.copyOf(steps);
  }

  /** A report of a single job (no steps). */
  public RunReport(String job, String jobFile, String fileSha256, String gitCommit, String runId, String cluster,
      String frameworkId, String outcome, String state, Integer exitCode, String reason, String startedAt,
      String endedAt, double wallSeconds, int instances, int completed, int failed, long attempts,
      List<Instance> instanceList, Double cpusPerTask, List<Sample> utilisation) {
    this(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, state, exitCode, reason, startedAt, endedAt,
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
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, state, exitCode, reason,
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

  /**
   * One instance: its index, final state and every attempt.
   *
   * @param ranMoreThanOnce when more than one of its attempts finished (a copy given up on came back
   *                        and finished before it could be killed): "instance 61 ran twice: agent S1
   *                        unreachable 18 s"; else null
   */
  public record Instance(int index, String state, int failures, int losses, List<Attempt> attempts,
      String ranMoreThanOnce) {
    public Instance {
      attempts = List.copyOf(attempts);
    }

    /** An instance that ran once (or not at all). */
    public Instance(int index, String state, int failures, int losses, List<Attempt> attempts) {
      this(index, state, failures, losses, attempts, null);
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
   * @param kind       how it ended when not by finishing: {@code "own failure"} (counts against
   *                   retries), {@code "lost to the cluster"}, {@code "stopped"}, {@code "duplicate"};
   *                   null otherwise
   * @param reason     the cluster's reason for its end in words, with the Mesos name and who gave it,
   *                   or null when none was given
   * @param unreachableSeconds how long its agent was unreachable before the task was heard from
   *                   again, or null
   */
  public record Attempt(
      String taskId, int attempt, String agentId, String hostname, String state, Integer exitCode,
      String message, String cause, String startedAt, String endedAt, String sandbox, List<String> stderrTail,
      String kind, String reason, Double unreachableSeconds) {
    public Attempt {
      stderrTail = stderrTail == null ? List.of() : List.copyOf(stderrTail);
    }

    /** An attempt without a kind, reason or partition (as earlier reports had). */
    public Attempt(String taskId, int attempt, String agentId, String hostname, String state, Integer exitCode,
        String message, String cause, String startedAt, String endedAt, String sandbox, List<String> stderrTail) {
      this(taskId, attempt, agentId, hostname, state, exitCode, message, cause, startedAt, endedAt, sandbox, stderrTail,
          kindOf(cause), null, null);
    }
  }

  /** The words for an end cause (see {@link Attempt#kind()}). */
  static String kindOf(String cause) {
    if (cause == null) return null;
    return switch (cause) {
      case "FAILED", "TIMED_OUT" -> "own failure";
      case "LOST" -> "lost to the cluster";
      case "STOPPED" -> "stopped";
      case "DUPLICATE" -> "duplicate";
      default -> cause.toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * "instance 61 ran twice: agent S1 unreachable 18 s" when more than one attempt finished, else
   * null.
   */
  static String ranMoreThanOnce(int index, List<Attempt> attempts) {
    int finished = 0;
    Attempt cameBack = null;
    for (Attempt a : attempts) {
      if (!"TASK_FINISHED".equals(a.state())) continue;
      finished++;
      if (a.unreachableSeconds() != null && cameBack == null) cameBack = a;
    }
    if (finished < 2) return null;
    String times = finished == 2 ? "twice" : finished + " times";
    String why = cameBack == null ? "" : ": agent " + shortAgent(cameBack.agentId()) + " unreachable "
        + Math.round(cameBack.unreachableSeconds()) + " s";
    return "instance " + index + " ran " + times + why;
  }

  /** {@code S1} for a Mesos agent id {@code <master id>-S1}; other ids as they are. */
  static String shortAgent(String agentId) {
    if (agentId == null) return "?";
    int dash = agentId.lastIndexOf('-');
    String tail = agentId.substring(dash + 1);
    return dash > 0 && tail.matches("S\\d+") ? tail : agentId;
  }

  /** Every instance that ran more than once, in index order (see {@link Instance#ranMoreThanOnce()}). */
  public List<String> ranMoreThanOnce() {
    List<String> out = new ArrayList<>();
    for (Instance i : instanceList) {
      if (i.ranMoreThanOnce() != null) out.add(i.ranMoreThanOnce());
    }
    return out;
  }

  /**
   * A utilisation sample: from {@code at} until the next sample.
   *
   * @param waitReason why instances waited, or null when none did
   */
  public record Sample(String at, double cpusInUse, double cpusOffered, int running, int waiting, String waitReason) {}

  /**
   * This report with the reason the runner itself knows, when the journal recorded none (a run
   * whose cluster failed before it began ends without an end record, so it can be run again).
   */
  public RunReport withReasonIfNone(String known) {
    if (reason != null || known == null) return this;
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, state, exitCode,
        known, startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpusPerTask,
        utilisation, steps);
  }

  /** This report with the cpus each task holds, when the samples did not tell it. */
  public RunReport withCpusPerTask(double cpus) {
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, cluster, frameworkId, outcome, state, exitCode, reason,
        startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpus, utilisation, steps);
  }

  /** This report with another description of its cluster (the runner's own, richer than the journal's). */
  public RunReport withCluster(String description) {
    return new RunReport(job, jobFile, fileSha256, gitCommit, runId, description, frameworkId, outcome, state, exitCode,
        reason, startedAt, endedAt, wallSeconds, instances, completed, failed, attempts, instanceList, cpusPerTask,
        utilisation, steps);
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
   * Builds the report of the run {@code fold} holds, standing where {@code view} says.
   *
   * @param sandboxOf where a task's files are, or null when not known
   */
  public static RunReport of(RunFold fold, RunView view, Function<String, String> sandboxOf) {
    RunState state = fold.state();
    Map<String, List<String>> tails = new HashMap<>();
    fold.stderrTails().forEach((task, lines) -> tails.put(task, lines.isEmpty() ? List.of()
        : Arrays.asList(lines.split("\n", -1))));
    List<Instance> list = new ArrayList<>(state.instances().size());
    for (RunState.Instance i : state.instances()) {
      List<Attempt> atts = new ArrayList<>(i.attempts().size());
      for (RunState.Attempt a : i.attempts()) {
        String cause = a.cause() == null ? null : a.cause().name();
        atts.add(new Attempt(a.taskId(), a.attempt(), a.agentId(), a.hostname(),
            a.state() == null ? null : "TASK_" + a.state(), a.exitCode(), a.message(),
            cause, Times.iso(a.launchedAtEpochMs()),
            a.settled() ? Times.iso(a.updatedAtEpochMs()) : null, sandboxOf.apply(a.taskId()),
            tails.getOrDefault(a.taskId(), List.of()), kindOf(cause), TaskReason.describe(a.reason(), a.source()),
            a.unreachableForMs() == null ? null : a.unreachableForMs() / 1000.0));
      }
      list.add(new Instance(i.index(), instanceState(i, view.status().over()), i.failures(), i.losses(), atts,
          ranMoreThanOnce(i.index(), atts)));
    }
    List<Sample> samples = new ArrayList<>();
    Double cpusPerTask = null;
    for (JournalRecord.Utilisation u : fold.samples()) {
      samples.add(new Sample(Times.iso(u.atEpochMs()), u.cpusInUseMilli() / 1000.0,
          u.cpusOfferedMilli() / 1000.0, u.running(), u.waiting(), u.waitReason()));
      if (cpusPerTask == null && u.running() > 0) cpusPerTask = Math.round((double) u.cpusInUseMilli() / u.running()) / 1000.0;
    }
    JournalRecord.RunStarted s = state.started();
    return new RunReport(s.jobName(), s.jobFile(), s.fileSha256(), s.gitCommit(), s.runId(), s.cluster(),
        state.frameworkId(), outcomeOf(view), view.status().word(), view.exitCode(),
        state.endReason() != null ? state.endReason() : view.reason(), Times.iso(s.startedAtEpochMs()),
        view.status().over() ? Times.iso(view.lastAtMs()) : null, view.wallSeconds(), list.size(), view.completed(),
        view.failed(), view.attempts(), list, cpusPerTask, samples);
  }

  private static String instanceState(RunState.Instance i, boolean over) {
    if (i.completed()) return "DONE";
    if (i.failed()) return "FAILED";
    if (over) return "ABANDONED";
    if (i.lastAttempt() != null && !i.lastAttempt().settled()) return "ACTIVE";
    return "PENDING";
  }

  private static String outcomeOf(RunView view) {
    return switch (view.status()) {
      case SUCCEEDED -> Outcome.SUCCEEDED.name();
      case FAILED -> Outcome.FAILED.name();
      case COULD_NOT_RUN -> Outcome.CLUSTER_FAILED.name();
      case INTERRUPTED -> Outcome.INTERRUPTED.name();
      case KILLED -> Outcome.KILLED.name();
      default -> null;
    };
  }

  /**
   * Builds the report from a run's journal records (oldest first), as if its runner had exited
   * with {@code exitCode} (when the records hold no end). For tests and tools that hold records.
   *
   * @throws IllegalArgumentException when the records do not describe one run
   */
  public static RunReport fromJournal(List<? extends JournalRecord> records, int exitCode) {
    RunFold fold = new RunFold();
    for (JournalRecord r : records) fold.accept(r);
    String runId = fold.started().runId();
    RunView view = RunView.of(fold, new RunView.Attachment(null, false, new RunnerExit.Recorded(runId, exitCode)));
    return of(fold, view, t -> null);
  }

}
