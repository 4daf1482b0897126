package io.mesosrunner.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The exit code a runner returned for a run, kept in {@code <job state dir>/exit} so that
 * {@code runner wait} and {@code runner status --watch} can end with it, also for runs that end
 * without a journal record of their end (interrupted, cluster lost): one line
 * {@code run=<run id> exit=<code>}. Cleared when a runner starts on the job, written just before
 * it releases the job's lock.
 */
public final class RunnerExit {

  public static final String FILE_NAME = "exit";

  /** The run and the code its runner exited with. */
  public record Recorded(String runId, int exitCode) {}

  private RunnerExit() {}

  public static void clear(Path jobDir) {
    try {
      Files.deleteIfExists(jobDir.resolve(FILE_NAME));
    } catch (IOException e) {
      // A stale file names an earlier runner's exit; watchers also check the run id and the lock.
    }
  }

  /** Best effort: a run's outcome is in its journal; this only adds the exact exit code. */
  public static void write(Path jobDir, String runId, int exitCode) {
    Path tmp = jobDir.resolve(FILE_NAME + ".tmp");
    try {
      Files.writeString(tmp, "run=" + runId + " exit=" + exitCode + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, jobDir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
  }

  public static Optional<Recorded> read(Path jobDir) {
    try {
      String line = Files.readString(jobDir.resolve(FILE_NAME), StandardCharsets.US_ASCII).trim();
      String runId = null;
      Integer code = null;
      for (String part : line.split(" ")) {
        if (part.startsWith("run=")) runId = part.substring(4);
        if (part.startsWith("exit=")) code = Integer.valueOf(part.substring(5));
      }
      return runId == null || code == null ? Optional.empty() : Optional.of(new Recorded(runId, code));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
