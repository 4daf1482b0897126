package io.mesosrunner.cli;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runner status JOBFILE}: the state of the job's latest run, from its journal. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Print the state of the job's latest run from its journal (read-only; safe while it runs).")
final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where runs keep their state. Default: .runner next to the job file.")
  Path stateDir;

  private final CliContext ctx;

  StatusCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return Main.EXIT_USAGE;
    Path dir = stateDir != null ? stateDir : JobStore.defaultStateDir(jobFile);
    try {
      Optional<RunState> state = JobStore.status(dir, loaded.job().name());
      if (state.isEmpty()) {
        ctx.out().println(loaded.job().name() + ": no run recorded in " + dir);
        return 0;
      }
      ctx.out().print(state.get().describe());
      if (!state.get().describe().endsWith("\n")) ctx.out().println();
      if (!state.get().started().fileSha256().equals(loaded.sha256())) {
        ctx.out().println("note: " + jobFile + " changed since this run began");
      }
      return 0;
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
  }
}
