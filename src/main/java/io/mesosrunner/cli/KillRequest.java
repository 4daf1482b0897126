package io.mesosrunner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code runner kill}'s word to a live runner, in {@code <job state dir>/kill}: the run id to end.
 * The signal that follows only says "stop"; a runner that finds this file for its run records the
 * run as killed (ended, not resumable) rather than interrupted, so every command calls it killed.
 */
final class KillRequest {

  static final String FILE_NAME = "kill";

  private KillRequest() {}

  static void write(Path jobDir, String runId) throws IOException {
    Files.writeString(jobDir.resolve(FILE_NAME), runId + "\n", StandardCharsets.US_ASCII);
  }

  /** Whether a kill of {@code runId} was asked for; the request is taken (removed) either way. */
  static boolean take(Path jobDir, String runId) {
    Path file = jobDir.resolve(FILE_NAME);
    try {
      boolean asked = Files.readString(file, StandardCharsets.US_ASCII).trim().equals(runId);
      Files.deleteIfExists(file);
      return asked;
    } catch (IOException e) {
      return false;
    }
  }
}
