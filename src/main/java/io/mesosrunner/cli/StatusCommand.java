package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import io.mesosrunner.state.RunJournal;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner status JOB}: the state of the job's latest run, from its journal (never from the
 * job file as it is now), and whether a runner is still attached to it.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the state of the job's latest run, from its journal.",
        "Read-only: safe while the run goes on.",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "With --master (or RUNNER_MASTER, MESOS_MASTER): the master's view of its tasks."})
final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Mixin StateDirOption state;

  @Mixin MasterOption master;

  @Mixin MasterAccessOptions access;

  @Option(names = "--watch",
      description = {"Follow the run live (its status line and instance events),", "then print its summary and exit with its exit code."})
  boolean watch;

  /** Output formats of {@code status}. */
  enum Format { text, json }

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = {"text (default) or json: the run's JSON report with where it", "stands now (state, exitCode, runnerPid, running, waiting)."})
  Format output;

  private final CliContext ctx;

  /** Asks the master (read-only) about the run's framework; exit 3 when it cannot be asked. */
  private int fromMaster(RunState run) {
    if (run.frameworkId() == null) {
      ctx.out().println("on the master: the run never registered a framework");
      return ExitCode.OK;
    }
    try (ClusterAdmin admin = ClusterWiring.adminAt(master, run, access, "status", ctx)) {
      List<ClusterAdmin.KnownTask> tasks = admin.tasks();
      Map<String, Long> byState = new TreeMap<>();
      for (ClusterAdmin.KnownTask t : tasks) byState.merge(t.state(), 1L, Long::sum);
      ctx.out().println("on the master (framework " + run.frameworkId() + "): " + tasks.size() + " tasks"
          + (byState.isEmpty() ? "" : ", " + byState.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
              .collect(Collectors.joining(", "))));
      tasks.stream().filter(t -> !t.ended()).limit(20)
          .forEach(t -> ctx.out().println("  " + t.id() + " " + t.state() + " on agent " + t.agentId()));
      return ExitCode.OK;
    } catch (IllegalArgumentException | ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: cannot ask the master: " + e.getMessage());
      return ExitCode.CLUSTER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    }
  }

  /** The run as JSON on stdout; exit 0, or 2 when there is no run or its journal cannot be read. */
  private int printJson(Path dir, String name) {
    try {
      List<io.mesosrunner.state.JournalRecord> records = RunJournal.read(JobStore.jobDir(dir, name)).records();
      if (records.isEmpty()) throw new NoSuchFileException(dir.resolve(name).toString());
      ctx.out().println(StatusJson.of(dir, name, records));
      return 0;
    } catch (NoSuchFileException e) {
      ctx.err().println("runner: no run of " + name + " is recorded in " + dir);
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  StatusCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobTarget target = JobTarget.resolveOrSay(job, state, ctx);
    if (target == null) return ExitCode.USAGE;
    Path dir = target.stateDir();
    String name = target.jobName();
    if (watch) {
      try {
        return new RunWatch(dir, name, ctx, RunWatch.POLL).follow(RunWatch.Mode.WATCH, null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.INTERRUPTED;
      }
    }
    if (output == Format.json) return printJson(dir, name);
    try {
      Optional<RunState> state = JobStore.status(dir, name);
      if (state.isEmpty()) {
        ctx.out().println(name + ": no run recorded in " + dir);
        return ExitCode.OK;
      }
      RunState run = state.get();
      String text = run.describe();
      ctx.out().print(text.endsWith("\n") ? text : text + "\n");
      if (target.source() != null && !target.source().isRecordedAs(run.started().jobFile())) {
        ctx.out().println("note: this run was started from " + run.started().jobFile() + ", not " + target.source().label()
            + " (the same job name)");
      } else if (target.currentSha() != null && !run.started().fileSha256().equals(target.currentSha())) {
        ctx.out().println("note: " + target.source().label() + " changed since this run began");
      }
      if (!run.ended()) ctx.out().println(attachment(dir, name, run));
      return master.url(ctx) == null ? ExitCode.OK : fromMaster(run);
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  /** Whether a runner is attached to the unfinished run, and if not, how to carry it on. */
  private static String attachment(Path dir, String name, RunState run) throws IOException {
    StateLock.Holder holder = JobStore.runner(dir, name);
    if (holder.holds()) return "runner pid " + (holder.pid() == null ? "unknown" : holder.pid()) + " is running it";
    String gone = holder.pid() == null ? "no runner is attached"
        : ProcessHandle.of(holder.pid()).map(ProcessHandle::isAlive).orElse(false)
            ? "no runner is attached (pid " + holder.pid() + " no longer holds it)"
            : "no runner is attached (pid " + holder.pid() + " is gone)";
    String file = run.started().jobFile();
    boolean stdin = file.equals(JobSource.STDIN);
    String again = stdin ? "runner run - with the same job file on stdin" : "runner " + file;
    return gone + "; run the same command to resume (" + again + "), or stop it with: runner kill "
        + (stdin ? dir.resolve(name) : file);
  }
}
