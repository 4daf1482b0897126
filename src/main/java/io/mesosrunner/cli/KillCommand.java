package io.mesosrunner.cli;

import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.RunReader;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.RunnerExit;
import java.nio.file.Path;
import io.mesosrunner.state.StateLockedException;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code runner kill JOB}: ends the job's latest run, as its journal recorded it (the job file
 * may have changed or moved since). Killed has one meaning whoever carries it out: the run's tasks
 * are killed, its framework torn down, the run is recorded as ended {@code KILLED} (exit 137) and
 * the next {@code run} starts a new run. If its runner is alive on this machine it is asked to stop
 * (a {@link KillRequest}, then SIGTERM: it kills its tasks, records the kill and exits 137); if the
 * runner is gone, its tasks are killed here (local processes, or the Mesos framework torn down). A master the run recorded that cannot be parsed or reached does not stop this:
 * what may still run there is printed, and the run is forgotten.
 */
@Command(name = "kill", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Kill the tasks of the job's latest run and tear its framework down.",
        "A runner still running the job is asked to stop (as with Ctrl-C).",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "The run's master is the one it recorded; the options below say how to reach it."})
final class KillCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Mixin StateDirOption state;

  @Mixin MasterAccessOptions access;

  private final CliContext ctx;

  KillCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    JobTarget target = JobTarget.resolveOrSay(job, state, ctx);
    if (target == null) return ExitCode.USAGE;
    String name = target.jobName();
    try (JobStore store = JobStore.open(target.stateDir(), name)) {
      Optional<RunState> run = store.previous();
      if (run.isEmpty() || run.get().ended()) {
        ctx.out().println(name + ": nothing to kill (no unfinished run in " + store.dir() + ")");
        return ExitCode.OK;
      }
      RunState earlier = run.get();
      String owner = earlier.started().jobFile();
      if (target.source() != null && !target.source().isRecordedAs(owner)) {
        ctx.err().println("runner: the unfinished run " + earlier.runId() + " of job " + name + " in " + store.dir()
            + " was started from " + owner + ", not " + target.source().label() + "; to stop it: runner kill " + owner);
        return ExitCode.USAGE;
      }
      ctx.out().println(name + ": " + EarlierRuns.stop(target.stateDir(), earlier, access, ctx));
      store.resume().append(new RunEnded(Outcome.KILLED.name(), "killed by runner kill", ctx.clock().millis()));
      RunnerExit.write(store.dir(), earlier.runId(), ExitCode.KILLED);
      ctx.out().println(name + ": run " + earlier.runId() + " killed");
      return ExitCode.OK;
    } catch (StateLockedException e) {
      return stopRunningRunner(target, name, e);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: " + StateDirProblem.describe(target.stateDir(), e));
      return ExitCode.USAGE;
    }
  }

  /** The run's runner is alive: ask it to stop as Ctrl-C would, and wait for it. */
  private int stopRunningRunner(JobTarget target, String name, StateLockedException e) throws InterruptedException {
    Optional<ProcessHandle> runner = e.holderPid() == null ? Optional.empty() : ProcessHandle.of(e.holderPid());
    if (runner.isEmpty() || !runner.get().isAlive() || runner.get().pid() == ProcessHandle.current().pid()) {
      ctx.err().println("runner: " + name + " is locked by another runner that this machine cannot signal: " + e.getMessage());
      return ExitCode.CLUSTER;
    }
    Path jobDir = JobStore.jobDir(target.stateDir(), name);
    try {
      // The run it works on: recorded as killed by the runner itself once its tasks are.
      Optional<RunReader.Read> latest = RunReader.read(jobDir, null);
      if (latest.isPresent()) KillRequest.write(jobDir, latest.get().view().runId());
    } catch (IOException ex) {
      ctx.err().println("runner: cannot leave the kill request in " + jobDir + " (" + ex.getMessage()
          + "); the run will be interrupted, not ended");
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
