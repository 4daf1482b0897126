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
    message = oneLine(message);
  }

  /**
   * Messages echo values from the file; a line break or control character in one would split the
   * diagnostic or reach the user's terminal as a command, so those are shown escaped.
   */
  private static String oneLine(String message) {
    StringBuilder out = null;
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      boolean unsafe = (Character.isISOControl(c) && c != '\t') || c == '\u2028' || c == '\u2029';
      if (unsafe && out == null) out = new StringBuilder(message.substring(0, i));
      if (out == null) continue;
      if (!unsafe) out.append(c);
      else if (c == '\n') out.append("\\n");
      else if (c == '\r') out.append("\\r");
      else out.append(String.format("\\u%04X", (int) c));
    }
    return out == null ? message : out.toString();
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
