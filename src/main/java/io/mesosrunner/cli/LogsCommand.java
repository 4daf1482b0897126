package io.mesosrunner.cli;

import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.cluster.mesos.AgentSandboxFiles;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner logs JOB [INSTANCE]}: the output of a run's tasks, read from where the tasks wrote
 * it: the local cluster's sandbox files, or a Mesos agent's {@code /files/read} while the agent
 * keeps the sandbox. The run's journal says which task ran each attempt, on which agent, and
 * whether it has ended (which {@code -f} waits for). Bytes are passed on as the task wrote them.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the output of a run's tasks (stdout, or stderr with --stderr).",
        "Without INSTANCE: every instance's latest attempt, lines tagged [job/i].",
        "With INSTANCE: that instance's output as written, untagged.",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "Exit codes: 0 printed, 2 no such job, run, instance or attempt,",
        "3 the Mesos master or agent could not be asked."})
final class LogsCommand implements Callable<Integer> {

  /** How often {@code -f} looks for new output and reads the journal again. */
  static final Duration POLL = Duration.ofMillis(200);

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Parameters(index = "1", arity = "0..1", paramLabel = "INSTANCE", description = "The instance index (0-based).")
  Integer instance;

  @Option(names = "--attempt", paramLabel = "N", description = "The attempt (1 is the first launch). Default: the latest.")
  Integer attempt;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task(s) end.")
  boolean follow;

  @Option(names = "--stderr", description = "Print the tasks' stderr instead of their stdout.")
  boolean stderr;

  @Option(names = "--run", paramLabel = "ID", description = "The run (its id, as status prints it). Default: the latest.")
  String runId;

  @Mixin StateDirOption state;

  @Mixin MasterAccessOptions access;

  private final CliContext ctx;

  LogsCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** Where the bytes of one attempt's file come from. */
  interface Source extends AutoCloseable {
    /** The bytes from {@code offset} on (possibly none), or null when the file is gone for good. */
    byte[] read(RunState.Attempt attempt, String fileName, long offset) throws IOException, InterruptedException;

    /** Why {@link #read} answered null, for the user. */
    String gone(RunState.Attempt attempt, String fileName);

    /** Whether a line of {@code fileName} is the cluster's, not the task's (left out as the runner does). */
    default boolean notTheTasks(String fileName, byte[] line) {
      return false;
    }

    /** Whether {@link #notTheTasks} can leave out lines of {@code fileName}. */
    default boolean filters(String fileName) {
      return false;
    }

    /** Lets go of what reading held (a Mesos run's HTTP client). */
    @Override
    default void close() {}
  }

  /** A user-facing problem with its exit code. */
  static final class Problem extends Exception {
    final int exitCode;

    Problem(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    try {
      JobTarget target = JobTarget.resolve(job, state, ctx);
      RunState run = findRun(target);
      List<RunState.Attempt> chosen = choose(run, target);
      try (Source source = sourceFor(run, target)) {
        return print(target, run, chosen, source);
      }
    } catch (JobTarget.NotFoundException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (Problem e) {
      ctx.err().println("runner: " + e.getMessage());
      return e.exitCode;
    }
  }

  /** The run asked for: the latest, or {@code --run ID} among the journals kept. */
  private RunState findRun(JobTarget target) throws Problem {
    Path dir = JobStore.jobDir(target.stateDir(), target.jobName());
    List<RunState> runs = new ArrayList<>();
    for (String file : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      RunState r = readRun(dir, file);
      if (r != null) runs.add(r);
    }
    if (runs.isEmpty()) throw new Problem(ExitCode.USAGE, "no run of " + target.jobName() + " is recorded in " + dir);
    if (runId == null) return runs.get(0);
    for (RunState r : runs) {
      if (r.runId().equals(runId)) return r;
    }
    throw new Problem(ExitCode.USAGE, "no run " + runId + " of " + target.jobName() + " is kept; the runs kept are "
        + runs.stream().map(RunState::runId).collect(Collectors.joining(", ")));
  }

  private static RunState readRun(Path dir, String file) throws Problem {
    List<JournalRecord> records;
    try {
      records = RunJournal.read(dir, file).records();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new Problem(ExitCode.USAGE, "cannot read " + dir.resolve(file) + ": " + e.getMessage());
    }
    if (records.isEmpty()) return null;
    try {
      return RunState.fold(records);
    } catch (IllegalArgumentException e) {
      throw new Problem(ExitCode.USAGE, dir.resolve(file) + ": its records do not describe one run: " + e.getMessage());
    }
  }

  /** The attempts to print, in instance order. */
  private List<RunState.Attempt> choose(RunState run, JobTarget target) throws Problem {
    String runName = "run " + run.runId() + " of " + target.jobName();
    List<RunState.Instance> instances = run.instances();
    if (instance != null) {
      if (instance < 0 || instance >= instances.size()) {
        throw new Problem(ExitCode.USAGE, runName + " has no instance " + instance + "; it has instances 0 to "
            + (instances.size() - 1));
      }
      instances = List.of(instances.get(instance));
    }
    List<RunState.Attempt> chosen = new ArrayList<>();
    for (RunState.Instance i : instances) {
      RunState.Attempt a = attempt == null ? i.lastAttempt() : attemptOf(i, attempt);
      if (a != null) {
        chosen.add(a);
      } else if (instance != null || attempt != null) {
        String tried = i.attempts().stream().map(x -> Integer.toString(x.attempt())).collect(Collectors.joining(", "));
        throw new Problem(ExitCode.USAGE, runName + ": instance " + i.index()
            + (attempt == null ? " was never launched" : " has no attempt " + attempt)
            + (tried.isEmpty() ? (i.carriedFrom() != null ? " (it completed in run " + i.carriedFrom() + ")" : "")
                : "; its attempts are " + tried));
      }
    }
    if (chosen.isEmpty()) throw new Problem(ExitCode.USAGE, runName + " launched no task");
    return chosen;
  }

  private static RunState.Attempt attemptOf(RunState.Instance i, int n) {
    for (RunState.Attempt a : i.attempts()) {
      if (a.attempt() == n) return a;
    }
    return null;
  }

  private Source sourceFor(RunState run, JobTarget target) throws Problem {
    String cluster = run.started().cluster();
    if (cluster.equals(EarlierRuns.LOCAL)) {
      Path runDir = target.stateDir().resolve("runs").resolve(target.jobName() + "-" + run.runId())
          .toAbsolutePath().normalize();
      return new LocalSandboxes(runDir);
    }
    MasterAddress address;
    try {
      address = MasterAddress.parse(cluster);
    } catch (IllegalArgumentException e) {
      throw new Problem(ExitCode.USAGE, "the run was recorded on " + cluster + ", which names no master: " + e.getMessage());
    }
    if (run.frameworkId() == null) throw new Problem(ExitCode.USAGE, "run " + run.runId() + " never registered a framework");
    MesosConfig config;
    try {
      config = access.mesosConfig(address, "logs", "*", null, ctx).build();
    } catch (ClusterOptions.BadOptionException | IllegalArgumentException e) {
      throw new Problem(ExitCode.USAGE, e.getMessage());
    }
    return new MesosSandboxes(new AgentSandboxFiles(config), run.frameworkId());
  }

  private int print(JobTarget target, RunState run, List<RunState.Attempt> chosen, Source source)
      throws Problem, InterruptedException {
    String fileName = stderr ? "stderr" : "stdout";
    PrintStream out = stderr ? ctx.err() : ctx.out();
    List<Tail> tails = new ArrayList<>();
    for (RunState.Attempt a : chosen) {
      String prefix = instance == null ? "[" + target.jobName() + "/" + a.instance()
          + (a.attempt() > 1 ? "#" + a.attempt() : "") + "] " : null;
      tails.add(new Tail(a, prefix, source.filters(fileName) ? line -> source.notTheTasks(fileName, line) : null, out));
    }
    int gone = 0;
    int polls = 0;
    while (true) {
      for (Tail t : tails) {
        if (t.done) continue;
        boolean wasTerminal = t.attempt.settled();
        byte[] bytes;
        try {
          bytes = drain(source, t, fileName);
        } catch (IOException e) {
          throw new Problem(ExitCode.CLUSTER, "cannot read the " + fileName + " of " + t.attempt.taskId() + ": "
              + (e instanceof java.net.ConnectException ? "the master or the agent refused the connection"
              : e.getMessage() == null ? "no answer from the master or the agent" : e.getMessage()));
        }
        if (bytes == null) {
          ctx.err().println("runner: " + source.gone(t.attempt, fileName));
          t.done = true;
          gone++;
          continue;
        }
        if (!follow || wasTerminal) {
          t.finish();
        }
      }
      out.flush();
      if (tails.stream().allMatch(t -> t.done)) break;
      Thread.sleep(POLL.toMillis());
      RunState now = findRunAgain(target, run);
      if (now != null) {
        for (Tail t : tails) {
          RunState.Attempt fresh = attemptOf(now.instances().get(t.attempt.instance()), t.attempt.attempt());
          if (fresh != null) t.attempt = fresh;
        }
        // The run ended, or no runner is attached to it any more (killed with kill -9): what has
        // not settled is read once more and not followed further. The lock is probed about once a
        // second, as a probe at the very instant a runner starts makes that runner wait.
        boolean detached = !now.ended() && ++polls % 5 == 0 && !runnerAttached(target);
        if (now.ended() || detached) {
          if (detached) {
            ctx.err().println("runner: no runner is attached to run " + run.runId() + " any more; stopped following");
          }
          for (Tail t : tails) t.attempt = settledCopy(t.attempt);
        }
      }
    }
    return gone == tails.size() ? ExitCode.USAGE : ExitCode.OK;
  }

  private static boolean runnerAttached(JobTarget target) {
    try {
      return JobStore.runner(target.stateDir(), target.jobName()).holds();
    } catch (IOException e) {
      return true;
    }
  }

  private static RunState.Attempt settledCopy(RunState.Attempt a) {
    if (a.settled()) return a;
    return new RunState.Attempt(a.taskId(), a.instance(), a.attempt(), a.agentId(), a.hostname(), a.launchedAtEpochMs(),
        io.mesosrunner.cluster.TaskState.LOST, a.exitCode(), a.message(), a.cause(), a.updatedAtEpochMs());
  }

  private RunState findRunAgain(JobTarget target, RunState run) {
    Path dir = JobStore.jobDir(target.stateDir(), target.jobName());
    for (String file : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      try {
        RunState r = readRun(dir, file);
        if (r != null && r.runId().equals(run.runId())) return r;
      } catch (Problem e) {
        return null;
      }
    }
    return null;
  }

  /** Reads everything there is now; null when the file is gone for good. */
  private static byte[] drain(Source source, Tail t, String fileName) throws IOException, InterruptedException {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    while (true) {
      byte[] bytes = source.read(t.attempt, fileName, t.offset);
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
    Tail(RunState.Attempt attempt, String prefix, java.util.function.Predicate<byte[]> drop, PrintStream out) {
      this.attempt = attempt;
      this.out = out;
      byte[] tag = prefix == null ? new byte[0] : prefix.getBytes(StandardCharsets.UTF_8);
      this.lines = prefix == null && drop == null ? null : new LineSplitter(Integer.MAX_VALUE / 2, line -> {
        if (drop != null && drop.test(line)) return;
        out.write(tag, 0, tag.length);
        out.write(line, 0, line.length);
        out.write('\n');
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

  /** The local cluster's sandboxes: {@code <stateDir>/runs/<job>-<runId>/<taskId>/stdout}. */
  static final class LocalSandboxes implements Source {
    private static final int PAGE = 64 * 1024;
    private final Path runDir;

    LocalSandboxes(Path runDir) {
      this.runDir = runDir;
    }

    @Override
    public byte[] read(RunState.Attempt attempt, String fileName, long offset) throws IOException {
      Path file = runDir.resolve(attempt.taskId()).resolve(fileName);
      if (!Files.exists(file)) {
        // A task launched a moment ago may not have its files yet; a settled one never will.
        return attempt.settled() || !Files.isDirectory(runDir) ? null : new byte[0];
      }
      try (InputStream in = Files.newInputStream(file)) {
        in.skipNBytes(Math.min(offset, Files.size(file)));
        return in.readNBytes(PAGE);
      }
    }

    @Override
    public String gone(RunState.Attempt attempt, String fileName) {
      Path dir = runDir.resolve(attempt.taskId());
      return "no " + fileName + " of " + attempt.taskId() + " (attempt " + attempt.attempt() + " of instance "
          + attempt.instance() + "): " + (Files.isDirectory(dir) ? dir + " has no " + fileName
              : "its sandbox " + dir + " is gone (removed, or the run's sandboxes were cleaned up)");
    }
  }

  /** A Mesos run's sandboxes, read from their agents while the agents keep them. */
  static final class MesosSandboxes implements Source {
    private final AgentSandboxFiles files;
    private final String frameworkId;

    MesosSandboxes(AgentSandboxFiles files, String frameworkId) {
      this.files = files;
      this.frameworkId = frameworkId;
    }

    @Override
    public byte[] read(RunState.Attempt attempt, String fileName, long offset) throws IOException, InterruptedException {
      if (attempt.agentId() == null) return null;
      return files.read(attempt.agentId(), frameworkId, attempt.taskId(), fileName, offset);
    }

    @Override
    public boolean filters(String fileName) {
      return fileName.equals("stderr");
    }

    @Override
    public void close() {
      files.close();
    }

    @Override
    public boolean notTheTasks(String fileName, byte[] line) {
      return fileName.equals("stderr") && AgentSandboxFiles.isExecutorLine(line);
    }

    @Override
    public String gone(RunState.Attempt attempt, String fileName) {
      if (attempt.agentId() == null) return "attempt " + attempt.attempt() + " of instance " + attempt.instance()
          + " (" + attempt.taskId() + ") was never placed on an agent";
      return "no " + fileName + " of " + attempt.taskId() + " (attempt " + attempt.attempt() + " of instance "
          + attempt.instance() + ") on agent " + attempt.agentId() + (attempt.hostname() == null ? "" : " (" + attempt.hostname() + ")")
          + ": the agent has garbage-collected the sandbox, or the agent is gone";
    }
  }
}
