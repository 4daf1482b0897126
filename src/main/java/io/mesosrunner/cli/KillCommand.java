package io.mesosrunner.cli;

import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLockedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code runner kill JOBFILE}: stops the job's latest run. If its runner is alive on this machine
 * it is asked to stop (SIGTERM: it kills its tasks and exits 130); if the runner is gone, its
 * tasks are killed here (local processes, or the Mesos framework torn down) and the run is marked
 * ended so the next run starts afresh.
 */
@Command(name = "kill", mixinStandardHelpOptions = true,
    description = {"Kill the tasks of the job's latest run and tear its framework down.",
        "A runner still running the job is asked to stop (as with Ctrl-C)."})
final class KillCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Mixin ClusterOptions where;

  private final CliContext ctx;

  KillCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return ExitCode.USAGE;
    String name = loaded.job().name();
    Path stateDir = where.stateDir(jobFile);
    try (JobStore store = JobStore.open(stateDir, name)) {
      Optional<RunState> run = store.previous();
      if (run.isEmpty() || run.get().ended()) {
        ctx.out().println(name + ": nothing to kill (no unfinished run in " + stateDir + ")");
        return ExitCode.OK;
      }
      RunState earlier = run.get();
      String failed;
      if (earlier.started().cluster().equals(EarlierRuns.LOCAL)) {
        int n = EarlierRuns.killLocal(stateDir, earlier);
        ctx.out().println(name + ": killed " + n + " task process" + (n == 1 ? "" : "es") + " left by run " + earlier.runId());
        failed = null;
      } else {
        failed = EarlierRuns.teardownMesos(earlier, EarlierRuns.mesosConfig(earlier, where, ctx));
        if (failed == null) {
          ctx.out().println(name + ": tore down framework " + earlier.frameworkId() + " of run " + earlier.runId());
        }
      }
      if (failed != null) {
        ctx.err().println("runner: cannot kill run " + earlier.runId() + ": " + failed);
        return ExitCode.CLUSTER;
      }
      store.resume().append(new RunEnded(Outcome.INTERRUPTED.name(), "killed by runner kill", ctx.clock().millis()));
      return ExitCode.OK;
    } catch (StateLockedException e) {
      return stopRunningRunner(name, e);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: cannot use the state directory " + stateDir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
  }

  /** The run's runner is alive: ask it to stop as Ctrl-C would, and wait for it. */
  private int stopRunningRunner(String name, StateLockedException e) throws InterruptedException {
    Optional<ProcessHandle> runner = e.holderPid() == null ? Optional.empty() : ProcessHandle.of(e.holderPid());
    if (runner.isEmpty() || !runner.get().isAlive() || runner.get().pid() == ProcessHandle.current().pid()) {
      ctx.err().println("runner: " + name + " is locked by another runner that this machine cannot signal: " + e.getMessage());
      return ExitCode.CLUSTER;
    }
    ctx.out().println(name + ": asking runner pid " + e.holderPid() + " to stop (it kills its tasks first)");
    runner.get().destroy();
    try {
      runner.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
      ctx.err().println("runner: pid " + e.holderPid() + " did not stop within 60s");
      return ExitCode.CLUSTER;
    }
    ctx.out().println(name + ": runner pid " + e.holderPid() + " stopped");
    return ExitCode.OK;
  }
}
