package io.mesosrunner.cli;

/**
 * Colour for states (green done, red failed, yellow waiting or interrupted, cyan running) as ANSI
 * SGR sequences, or plain text when colour is off. Immutable.
 */
final class Style {

  static final Style PLAIN = new Style(false);
  static final Style COLOUR = new Style(true);

  static final String RESET = "\033[0m";
  private static final String GREEN = "\033[32m";
  private static final String RED = "\033[31m";
  private static final String YELLOW = "\033[33m";
  private static final String CYAN = "\033[36m";
  private static final String BOLD = "\033[1m";

  private final boolean on;

  private Style(boolean on) {
    this.on = on;
  }

  static Style of(boolean colour) {
    return colour ? COLOUR : PLAIN;
  }

  boolean on() {
    return on;
  }

  String done(String s) {
    return wrap(GREEN, s);
  }

  String failed(String s) {
    return wrap(RED, s);
  }

  String waiting(String s) {
    return wrap(YELLOW, s);
  }

  String running(String s) {
    return wrap(CYAN, s);
  }

  String bold(String s) {
    return wrap(BOLD, s);
  }

  private String wrap(String code, String s) {
    return on && !s.isEmpty() ? code + s + RESET : s;
  }

  /** Text without its SGR sequences (what the terminal shows). */
  static String strip(String s) {
    return s.replaceAll("\033\\[[0-9;]*m", "");
  }

  /**
   * {@code s} cut so that at most {@code columns} characters show, escape sequences kept whole
   * and a cut colour reset. Counts code points: every character the runner writes here is one
   * column wide.
   */
  static String cut(String s, int columns) {
    StringBuilder b = new StringBuilder(s.length());
    int shown = 0;
    boolean styled = false;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\033' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
        int end = i + 2;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == ';')) end++;
        if (end < s.length()) end++;
        String seq = s.substring(i, end);
        b.append(seq);
        styled = !seq.equals(RESET);
        i = end;
        continue;
      }
      if (shown == columns) {
        if (styled) b.append(RESET);
        return b.toString();
      }
      int cp = s.codePointAt(i);
      b.appendCodePoint(cp);
      shown++;
      i += Character.charCount(cp);
    }
    return b.toString();
  }
}
