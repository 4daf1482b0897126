package io.mesosrunner.cli;

import java.util.ArrayList;
import java.util.List;

/** Reads back what a terminal showed of the live status line. */
final class StatusLines {
  private StatusLines() {}

  /**
   * Each status line drawn in {@code terminal} (the bytes written to it): the text after a clear
   * ({@code \r\033[K}) that is not ended by a newline; lines printed over the status line end with one.
   */
  static List<String> drawn(String terminal) {
    List<String> out = new ArrayList<>();
    String[] segments = terminal.split("\r\033\\[K", -1);
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      String last = s.substring(s.lastIndexOf('\n') + 1);
      if (last.endsWith("\r")) last = last.substring(0, last.length() - 1);
      if (!last.isEmpty()) out.add(last);
    }
    return out;
  }
}
