package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The printing half of {@code runner logs}: given the attempts chosen and the admin of the
 * cluster their files are read from, prints what the files hold and, with {@code -f}, keeps
 * printing until each attempt has settled. While it follows it reads the run's journal again, to learn which attempts ended
 * and whether a runner is still attached to the run.
 */
final class TaskOutputPrinter {

  /** How often {@code -f} looks for new output and reads the journal again. */
  static final Duration POLL = Duration.ofMillis(200);

  private final CliContext ctx;
  private final JobTarget target;
  private final RunState run;
  private final ClusterAdmin cluster;
  private final boolean follow;
  private final String fileName;
  private final boolean tagged;
  /** Journal reads of a run still going, to probe the lock only every fifth. */
  private int polls;

  /**
   * @param fileName {@code stdout} or {@code stderr} (printed to the same stream of ours)
   * @param tagged   whether each line is tagged {@code [job/instance]} (several instances shown)
   */
  /** The run's steps, or null for a single job. */
  private io.mesosrunner.job.Pipeline pipeline;

  TaskOutputPrinter(CliContext ctx, JobTarget target, RunState run, ClusterAdmin cluster, boolean follow,
      String fileName, boolean tagged) {
    this.ctx = ctx;
    this.target = target;
    this.run = run;
    this.cluster = cluster;
    this.follow = follow;
    this.fileName = fileName;
    this.tagged = tagged;
  }

  /** Tags a pipeline's lines {@code [job/step/instance]}. */
  TaskOutputPrinter labelledBy(io.mesosrunner.job.Pipeline steps) {
    this.pipeline = steps;
    return this;
  }

  /** Prints the attempts' files; the exit code: 2 when none of them could be read at all. */
  int print(List<RunState.Attempt> chosen) throws LogsCommand.Problem, InterruptedException {
    PrintStream out = fileName.equals("stderr") ? ctx.err() : ctx.out();
    List<Tail> tails = new ArrayList<>();
    for (RunState.Attempt a : chosen) {
      String prefix = tagged ? "[" + (pipeline == null ? target.jobName() + "/" + a.instance() : pipeline.tag(a.instance()))
          + (a.attempt() > 1 ? "#" + a.attempt() : "") + "] " : null;
      tails.add(new Tail(a, prefix, cluster.filtersOutput(fileName) ? line -> cluster.isClusterLine(fileName, line) : null, out));
    }
    int gone = 0;
    while (true) {
      gone += readAll(tails);
      out.flush();
      if (tails.stream().allMatch(t -> t.done)) break;
      Thread.sleep(POLL.toMillis());
      refresh(tails);
    }
    return gone == tails.size() ? ExitCode.USAGE : ExitCode.OK;
  }

  /** Prints what each unfinished tail's file holds now; returns how many turned out gone. */
  private int readAll(List<Tail> tails) throws LogsCommand.Problem, InterruptedException {
    int gone = 0;
    for (Tail t : tails) {
      if (t.done) continue;
      boolean wasTerminal = t.attempt.settled();
      byte[] bytes;
      try {
        bytes = drain(t);
      } catch (IOException e) {
        throw new LogsCommand.Problem(ExitCode.CLUSTER, "cannot read the " + fileName + " of " + t.attempt.taskId() + ": "
            + (e instanceof java.net.ConnectException ? "the master or the agent refused the connection"
            : e.getMessage() == null ? "no answer from the master or the agent" : e.getMessage()));
      }
      if (bytes == null) {
        ctx.err().println("runner: " + cluster.whyNoOutput(EarlierRuns.recorded(t.attempt), fileName));
        t.done = true;
        gone++;
        continue;
      }
      if (!follow || wasTerminal) {
        t.finish();
      }
    }
    return gone;
  }

  /** Reads the journal again: the attempts' fresh states, and whether following should stop. */
  private void refresh(List<Tail> tails) {
    RunState now = findRunAgain();
    if (now == null) return;
    for (Tail t : tails) {
      RunState.Attempt fresh = LogsCommand.attemptOf(now.instances().get(t.attempt.instance()), t.attempt.attempt());
      if (fresh != null) t.attempt = fresh;
    }
    // The run ended, or no runner is attached to it any more (killed with kill -9): what has
    // not settled is read once more and not followed further. The lock is probed about once a
    // second, as a probe at the very instant a runner starts makes that runner wait.
    boolean detached = !now.ended() && ++polls % 5 == 0 && !runnerAttached();
    if (now.ended() || detached) {
      if (detached) {
        ctx.err().println("runner: no runner is attached to run " + run.runId() + " any more; stopped following");
      }
      for (Tail t : tails) t.attempt = settledCopy(t.attempt);
    }
  }

  private boolean runnerAttached() {
    try {
      return JobStore.runner(target.stateDir(), target.jobName()).holds();
    } catch (IOException e) {
      return true;
    }
  }

  private static RunState.Attempt settledCopy(RunState.Attempt a) {
    if (a.settled()) return a;
    return new RunState.Attempt(a.taskId(), a.instance(), a.attempt(), a.agentId(), a.hostname(), a.launchedAtEpochMs(),
        TaskState.LOST, a.exitCode(), a.message(), a.cause(), a.updatedAtEpochMs());
  }

  private RunState findRunAgain() {
    Path dir = JobStore.jobDir(target.stateDir(), target.jobName());
    for (String file : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      try {
        RunState r = LogsCommand.readRun(dir, file);
        if (r != null && r.runId().equals(run.runId())) return r;
      } catch (LogsCommand.Problem e) {
        return null;
      }
    }
    return null;
  }

  /** Reads everything there is now; null when the file is gone for good. */
  private byte[] drain(Tail t) throws IOException, InterruptedException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (true) {
      byte[] bytes = cluster.readOutput(EarlierRuns.recorded(t.attempt), fileName, t.offset);
      if (bytes == null) return t.offset == 0 && all.size() == 0 ? null : all.toByteArray();
      if (bytes.length == 0) break;
      t.offset += bytes.length;
      t.write(bytes);
      all.write(bytes, 0, bytes.length);
    }
    return all.toByteArray();
  }

  /** One attempt's file being printed: raw, or split into lines each tagged with {@code prefix}. */
  private static final class Tail {
    RunState.Attempt attempt;
    final PrintStream out;
    final LineSplitter lines;
    long offset;
    boolean done;

    /**
     * @param prefix tag for every line, or null
     * @param drop   lines to leave out, or null; with neither, the bytes are passed on as they are
     */
    Tail(RunState.Attempt attempt, String prefix, Predicate<byte[]> drop, PrintStream out) {
      this.attempt = attempt;
      this.out = out;
      byte[] tag = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
      this.lines = prefix == null && drop == null ? null : new LineSplitter(Integer.MAX_VALUE / 2, (line, end) -> {
        if (drop != null && drop.test(line)) return;
        out.write(tag, 0, tag.length);
        out.write(line, 0, line.length);
        // Untagged, the bytes stay as the task wrote them; a tagged line always ends.
        if (prefix == null) out.write(end.bytes(), 0, end.bytes().length);
        else out.write('\n');
      });
    }

    void write(byte[] bytes) {
      if (lines == null) {
        out.write(bytes, 0, bytes.length);
      } else {
        lines.feed(bytes, 0, bytes.length);
      }
    }

    void finish() {
      if (lines != null) lines.flush();
      done = true;
    }
  }
}
