package io.mesosrunner.cli;

import io.mesosrunner.job.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner wait JOB}: waits for the job's latest run to end and exits with the run's exit
 * code, as {@code kubectl wait} does for a condition. Read-only: follows the run's journal.
 */
@Command(name = "wait", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Wait for the job's latest run (or --run ID) to end, print one line,",
        "and exit with its code: 0 succeeded, 1 failed, 3 could not run,",
        "4 journal not written, 130 interrupted (or no runner is attached",
        "to the unfinished run any more), 137 killed,",
        "124 --timeout passed first, 2 no run is recorded.",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "A run that has already ended answers at once."})
final class WaitCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "Give up after this long (e.g. 30s, 10m, 2h) and exit 124. Default: wait for ever.")
  String timeout;

  @Option(names = "--run", paramLabel = "ID",
      description = {"The run to wait for (the id runner run --detach printed).",
          "Default: the latest recorded run, or the one a runner is starting."})
  String runId;

  @Mixin StateDirOption state;

  @Option(names = {"-q", "--quiet"}, description = "Print nothing; only the exit code tells.")
  boolean quiet;

  private final CliContext ctx;

  WaitCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    Duration limit = null;
    if (timeout != null) {
      try {
        limit = Durations.parse(timeout);
      } catch (IllegalArgumentException e) {
        ctx.err().println("runner: --timeout: " + e.getMessage());
        return ExitCode.USAGE;
      }
    }
    JobTarget target = JobTarget.resolveOrSay(job, state, ctx);
    if (target == null) return ExitCode.USAGE;
    return new RunWatch(target.stateDir(), target.jobName(), ctx, RunWatch.POLL)
        .follow(quiet ? RunWatch.Mode.WAIT_QUIET : RunWatch.Mode.WAIT, limit, runId);
  }
}
