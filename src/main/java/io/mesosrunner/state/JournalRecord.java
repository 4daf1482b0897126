package io.mesosrunner.state;

import io.mesosrunner.cluster.ClusterKind;

import io.mesosrunner.schedule.IndexRanges;
import java.util.List;

import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.util.Objects;

/**
 * One fact of a run, as written to the {@link RunJournal}. Stored as JSON with a {@code type}
 * discriminator holding the record's simple name ({@code {"type":"TaskLaunched",...}}), then the
 * components in declaration order (see {@code JournalJson}).
 *
 * <p>Enum-valued components are kept as names (strings) so the file stays readable and stable;
 * the compact constructors check that each name is one this version knows, so a record written by
 * a newer runner with a state this one does not know fails loudly instead of being misread.
 */
public sealed interface JournalRecord {

  /**
   * The first record of every journal: which run of which file, where.
   *
   * @param cluster "local" or the master URL
   * @param gitCommit the commit of the work tree holding the file, or null
   * @param jobText the job file as it was when the run began (to say what changed), or null
   */
  record RunStarted(String runId, String jobName, String jobFile, String fileSha256, String gitCommit,
      String cluster, long startedAtEpochMs, int instances, String jobText) implements JournalRecord {
    public RunStarted {
      requireText(runId, "runId");
      requireText(jobName, "jobName");
      requireText(jobFile, "jobFile");
      requireText(fileSha256, "fileSha256");
      requireText(cluster, "cluster");
      if (instances < 1) {
        throw new IllegalArgumentException("instances (" + instances + ") must be at least 1");
      }
    }

    /** The cluster the run used; {@code cluster} is its text as journaled ({@link ClusterKind#recorded()}). */
    public ClusterKind clusterKind() {
      return ClusterKind.parse(cluster);
    }
  }

  /** The cluster gave the framework this id (written on every (re)subscription that changes it). */
  record FrameworkRegistered(String frameworkId) implements JournalRecord {
    public FrameworkRegistered {
      requireText(frameworkId, "frameworkId");
    }
  }

  /**
   * A task is about to be launched. Written (and forced) BEFORE the ACCEPT that carries it is sent,
   * so a task that may exist on the cluster is always known after a crash.
   *
   * @param instance 0-based instance index
   * @param attempt  1-based attempt number of that instance
   */
  record TaskLaunched(String taskId, int instance, int attempt, String agentId, String hostname,
      long atEpochMs) implements JournalRecord {
    public TaskLaunched {
      requireText(taskId, "taskId");
      requireText(agentId, "agentId");
      if (instance < 0) {
        throw new IllegalArgumentException("instance (" + instance + ") must not be negative");
      }
      if (attempt < 1) {
        throw new IllegalArgumentException("attempt (" + attempt + ") must be at least 1");
      }
    }
  }

  /**
   * A task's state changed as the scheduler recorded it. Written before the update is acknowledged.
   *
   * @param state    a {@link TaskState} name
   * @param exitCode the command's exit status when known, else null
   * @param message  the status message, or null
   * @param cause    an {@link EndCause} name, or null while the attempt has not ended otherwise
   *                 than by finishing
   */
  record TaskStateChanged(String taskId, String state, Integer exitCode, String message, String cause,
      long atEpochMs) implements JournalRecord {
    public TaskStateChanged {
      requireText(taskId, "taskId");
      requireEnum(TaskState.class, state, "state");
      if (cause != null) requireEnum(EndCause.class, cause, "cause");
    }

    /** The state as the enum. */
    public TaskState taskState() {
      return TaskState.valueOf(state);
    }

    /** The cause as the enum, or null. */
    public EndCause endCause() {
      return cause == null ? null : EndCause.valueOf(cause);
    }
  }

  /**
   * The reason the cluster gave with the update just recorded for the task by a {@link
   * TaskStateChanged} (written right after it, for an update that ended the attempt or reported it
   * unreachable), so that reports can say whose fault the end was, in words. Journals without it
   * still read; not needed to resume.
   *
   * @param reason a Mesos reason name without {@code REASON_} (see {@code cluster.TaskReason}); any
   *               text, since a newer master may send one this runner does not know
   * @param source a {@link TaskStatus.Source} name, or null when the cluster did not say
   */
  record TaskReasonGiven(String taskId, String reason, String source, long atEpochMs) implements JournalRecord {
    public TaskReasonGiven {
      requireText(taskId, "taskId");
      requireText(reason, "reason");
      if (source != null) requireEnum(TaskStatus.Source.class, source, "source");
    }

    /** The source as the enum, or null. */
    public TaskStatus.Source taskSource() {
      return source == null ? null : TaskStatus.Source.valueOf(source);
    }
  }

  /** An instance completed (its task {@code taskId} finished). */
  record InstanceCompleted(int instance, String taskId, long atEpochMs) implements JournalRecord {
    public InstanceCompleted {
      requireText(taskId, "taskId");
      if (instance < 0) {
        throw new IllegalArgumentException("instance (" + instance + ") must not be negative");
      }
    }
  }

  /** An instance ran out of retries (or of the loss bound): the job fails. */
  record InstanceFailed(int instance, String reason, long atEpochMs) implements JournalRecord {
    public InstanceFailed {
      requireText(reason, "reason");
      if (instance < 0) {
        throw new IllegalArgumentException("instance (" + instance + ") must not be negative");
      }
    }
  }

  /**
   * Instances this run does not launch because an earlier run completed them ({@code runner run
   * --retry-failed}); written right after {@link RunStarted}, one record per run they came from.
   *
   * @param fromRunId the run that completed them
   * @param instances their indexes as {@link IndexRanges} text, e.g. {@code 0-4, 7}
   */
  record InstancesCarriedOver(String fromRunId, String instances, long atEpochMs) implements JournalRecord {
    public InstancesCarriedOver {
      requireText(fromRunId, "fromRunId");
      requireText(instances, "instances");
      IndexRanges.parse(instances);
    }

    /** The indexes, ascending. */
    public List<Integer> indexes() {
      return IndexRanges.parse(instances);
    }
  }

  /** The run is over; the next run of the job starts a fresh journal. {@code outcome} is an {@link Outcome} name. */
  record RunEnded(String outcome, String reason, long atEpochMs) implements JournalRecord {
    public RunEnded {
      requireEnum(Outcome.class, outcome, "outcome");
    }

    /** The outcome as the enum. */
    public Outcome runOutcome() {
      return Outcome.valueOf(outcome);
    }
  }

  /**
   * A sample of how the cluster was used, for the run's picture (not needed to resume). Written at
   * most about once a second while something changes; a journal without any still resumes and
   * reports. Cpus are in thousandths so the record holds whole numbers only.
   *
   * @param cpusInUseMilli   cpus held by this run's staging and running tasks
   * @param cpusOfferedMilli cpus the latest offers of each agent held during the sample's window
   *                         (free cpus the run could see), 0 when no offer came
   * @param running          instances staging or running
   * @param waiting          instances pending or in backoff
   * @param waitReason       why the waiting instances wait, or null when none waits
   */
  record Utilisation(long atEpochMs, long cpusInUseMilli, long cpusOfferedMilli, int running, int waiting,
      String waitReason) implements JournalRecord {
    public Utilisation {
      if (cpusInUseMilli < 0 || cpusOfferedMilli < 0 || running < 0 || waiting < 0) {
        throw new IllegalArgumentException("utilisation counts must not be negative");
      }
    }
  }

  /**
   * The last lines of stderr of an attempt that did not finish, for the report (not needed to
   * resume). Written once the run is over, when the output has been read.
   *
   * @param lines the lines, joined by a newline
   */
  record StderrTail(String taskId, String lines) implements JournalRecord {
    public StderrTail {
      requireText(taskId, "taskId");
      Objects.requireNonNull(lines, "lines");
    }
  }

  private static void requireText(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank (got '" + value + "')");
    }
  }

  private static <E extends Enum<E>> void requireEnum(Class<E> type, String value, String name) {
    Objects.requireNonNull(value, name);
    try {
      Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " (" + value + ") is not a " + type.getSimpleName() + " name", e);
    }
  }
}
