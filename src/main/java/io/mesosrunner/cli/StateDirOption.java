package io.mesosrunner.cli;

import io.mesosrunner.state.JobStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --state-dir}: where runs keep their journals and local sandboxes. The flag wins over
 * {@code RUNNER_STATE_DIR}, which wins over {@code .runner} next to the job file (or in the
 * working directory when the job comes from stdin or is named by its job name).
 */
final class StateDirOption {

  static final String ENV = "RUNNER_STATE_DIR";

  @Option(names = "--state-dir", paramLabel = "DIR",
      description = "Where runs keep their journals and local sandboxes. Default: $RUNNER_STATE_DIR, else .runner next to the job file.")
  Path stateDir;

  /** The directory the flag or the environment names, or null when neither does. */
  Path explicit(CliContext ctx) {
    if (stateDir != null) return stateDir;
    String env = ctx.env().get(ENV);
    return env == null || env.isBlank() ? null : Path.of(env.trim());
  }

  /** The state directory of a job read from {@code jobFile}, or from stdin when it is null. */
  Path forJobFile(Path jobFile, CliContext ctx) {
    Path explicit = explicit(ctx);
    if (explicit != null) return explicit;
    return jobFile == null ? Path.of("").toAbsolutePath().resolve(JobStore.DEFAULT_DIR_NAME) : JobStore.defaultStateDir(jobFile);
  }
}
