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
import io.mesosrunner.state.RunReader;
import io.mesosrunner.state.RunView;
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

  @Option(names = "--run", paramLabel = "ID",
      description = "The run to show (the latest or the one before; ids: runner status). Default: the latest.")
  String runId;

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
        return new RunWatch(dir, name, ctx, RunWatch.POLL).follow(RunWatch.Mode.WATCH, null, runId);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCode.INTERRUPTED;
      }
    }
    Optional<RunReader.Read> read;
    try {
      read = RunReader.read(JobStore.jobDir(dir, name), runId);
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
    if (read.isEmpty()) {
      List<String> kept = RunReader.runIds(JobStore.jobDir(dir, name));
      ctx.err().println("runner: " + (runId == null ? "no run of " + name + " is recorded in " + dir
          : "no run " + runId + " of " + name + " in " + dir + (kept.isEmpty() ? "" : " (runs kept: " + String.join(", ", kept) + ")")));
      return ExitCode.USAGE;
    }
    RunView view = read.get().view();
    int exit = view.exitCode() == null ? ExitCode.OK : view.exitCode();
    if (output == Format.json) {
      try {
        ctx.out().println(StatusJson.of(read.get()));
      } catch (IOException e) {
        ctx.err().println("runner: cannot print the run as JSON: " + e.getMessage());
        return ExitCode.FAILED;
      }
      return exit;
    }
    RunState run = read.get().fold().state();
    ctx.out().print(StatusText.render(view, run));
    if (target.source() != null && !target.source().isRecordedAs(run.started().jobFile())) {
      ctx.out().println("note: this run was started from " + run.started().jobFile() + ", not " + target.source().label()
          + " (the same job name)");
    } else if (target.currentSha() != null && !run.started().fileSha256().equals(target.currentSha())) {
      ctx.out().println("note: " + target.source().label() + " changed since this run began");
    }
    if (read.get().latest() && view.status().resumable()) ctx.out().println(attachment(dir, name, view));
    int masterSays = master.url(ctx) == null ? ExitCode.OK : fromMaster(run);
    return masterSays != ExitCode.OK ? masterSays : exit;
  }

  /** Why no runner works on the unfinished run, and how to carry it on or end it. */
  private static String attachment(Path dir, String name, RunView view) {
    String why = switch (view.status()) {
      case NOT_ATTACHED -> {
        Long pid = StateLock.readPid(JobStore.jobDir(dir, name).resolve(StateLock.FILE_NAME));
        yield "no runner is attached" + (pid == null ? "" : " (pid " + pid + " is gone)");
      }
      case COULD_NOT_RUN -> "its runner could not use the cluster";
      case JOURNAL_FAILED -> "its runner could not write the run journal";
      default -> "its runner was interrupted";
    };
    String file = view.jobFile();
    boolean stdin = file.equals(JobSource.STDIN);
    String again = stdin ? "runner run - with the same job file on stdin" : "runner " + file;
    return why + "; " + view.resumeHint(again, "runner kill " + (stdin ? dir.resolve(name) : file));
  }
}
