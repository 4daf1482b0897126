package io.mesosrunner.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The build's training run for the class-data archive ({@code bin/runner} with
 * {@code RUNNER_ARCHIVE_TRAIN=1}): runs, in one JVM, the commands a user types first and most, so
 * that the classes they load are the ones archived. Output is discarded; a command that fails
 * fails the training, because an archive trained on an error path would archive the wrong classes.
 *
 * <p>Arguments: the job file to train on and a scratch directory for its state.
 */
public final class ArchiveTraining {

  private ArchiveTraining() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: ArchiveTraining JOBFILE SCRATCH_DIR");
      System.exit(ExitCode.USAGE);
    }
    String job = args[0];
    String state = Path.of(args[1]).resolve("state").toString();
    String html = Path.of(args[1]).resolve("run.html").toString();
    Main.configureLogging(new String[0]);
    ClusterWiring.prepareProcessSpawning();
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true);
    CliContext ctx = new CliContext(discard, discard, System.getenv(), Clock.systemUTC(), Terminal.none(),
        CliContext.SignalHook.NONE);
    String[][] commands = {
        {"validate", job},
        {"run", job, "--state-dir", state},
        {"status", job, "--state-dir", state},
        {"wait", job, "--state-dir", state},
        {"logs", job, "--state-dir", state},
        {"report", job, "--state-dir", state, "--html", html},
    };
    for (String[] command : commands) {
      int code = Main.execute(ctx, command);
      if (code != ExitCode.OK) {
        System.err.println("runner: archive training: 'runner " + String.join(" ", command) + "' exited " + code);
        System.exit(code);
      }
    }
    System.exit(ExitCode.OK);
  }
}
