package io.mesosrunner.job;

import java.util.Objects;

/**
 * One problem found in a job file, at a source position.
 *
 * <p>{@link #toString()} reads like a compiler diagnostic: {@code file:line:column: message}.
 *
 * @param file    the file name as the user gave it
 * @param line    1-based line
 * @param column  1-based column
 * @param message one line naming the field and echoing the bad value
 */
public record JobError(String file, int line, int column, String message) {

  public JobError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    if (line < 1) throw new IllegalArgumentException("line must be >= 1 (got " + line + ")");
    if (column < 1) throw new IllegalArgumentException("column must be >= 1 (got " + column + ")");
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
