package io.mesosrunner.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * What the runner's output streams are connected to: whether stdout and stderr are terminals, how
 * wide the terminal is, and whether colour may be used on each stream.
 *
 * <p>Rules: the live status line is drawn on stderr, and only when stderr is a terminal that
 * understands cursor control ({@code TERM} is not {@code dumb}); so {@code runner job.yaml
 * 2>err.log} writes plain progress lines into the log, without carriage returns. Colour is used on
 * a stream only when it is such a terminal and {@code NO_COLOR} is not set to a non-empty value
 * (no-color.org). The width is {@code COLUMNS} when it is a positive number, else the terminal's
 * real width (read with {@code stty size} on the terminal, again after each SIGWINCH), else 80.
 *
 * <p>Immutable apart from the width, which a resize may change; thread-safe.
 */
final class Terminal {

  /** Width used when none can be found. */
  static final int DEFAULT_WIDTH = 80;

  private final boolean stdoutTerminal;
  private final boolean stderrTerminal;
  private final boolean colourAllowed;
  private final IntSupplier width;

  private Terminal(boolean stdoutTerminal, boolean stderrTerminal, boolean colourAllowed, IntSupplier width) {
    this.stdoutTerminal = stdoutTerminal;
    this.stderrTerminal = stderrTerminal;
    this.colourAllowed = colourAllowed;
    this.width = width;
  }

  /** Neither stream is a terminal: no live line, no colour (CI logs, pipes, in-process tests). */
  static Terminal none() {
    return new Terminal(false, false, false, () -> DEFAULT_WIDTH);
  }

  /**
   * Streams as given, with the environment's say on colour and width; for tests that play a
   * terminal. {@code COLUMNS} in {@code env} wins over {@code width}.
   */
  static Terminal of(boolean stdoutTerminal, boolean stderrTerminal, int width, Map<String, String> env) {
    boolean capable = !isDumb(env);
    Integer columns = columns(env);
    int w = columns != null ? columns : width;
    return new Terminal(stdoutTerminal && capable, stderrTerminal && capable, colourAllowed(env), () -> w);
  }

  /** The real process's streams (Linux: {@code /proc/self/fd}; elsewhere {@code test -t}). */
  static Terminal detect(Map<String, String> env) {
    if (isDumb(env)) return new Terminal(false, false, false, () -> DEFAULT_WIDTH);
    String stderrDevice = terminalDevice(2);
    boolean stdout = terminalDevice(1) != null;
    boolean stderr = stderrDevice != null;
    Integer columns = columns(env);
    IntSupplier width;
    if (columns != null) {
      int w = columns;
      width = () -> w;
    } else if (stderr) {
      width = new RealWidth(stderrDevice);
    } else {
      width = () -> DEFAULT_WIDTH;
    }
    return new Terminal(stdout, stderr, colourAllowed(env), width);
  }

  /** Whether stdout is a terminal. */
  boolean stdoutIsTerminal() {
    return stdoutTerminal;
  }

  /** Whether the live status line is drawn (on stderr). */
  boolean liveStatus() {
    return stderrTerminal;
  }

  /** Whether colour is used on stdout. */
  boolean colourOnStdout() {
    return stdoutTerminal && colourAllowed;
  }

  /** Whether colour is used on stderr. */
  boolean colourOnStderr() {
    return stderrTerminal && colourAllowed;
  }

  /** Columns of the terminal (at least 10). */
  int width() {
    return Math.max(10, width.getAsInt());
  }

  private static boolean isDumb(Map<String, String> env) {
    return "dumb".equals(env.get("TERM"));
  }

  private static boolean colourAllowed(Map<String, String> env) {
    String noColor = env.get("NO_COLOR");
    return noColor == null || noColor.isEmpty();
  }

  private static Integer columns(Map<String, String> env) {
    String c = env.get("COLUMNS");
    if (c == null) return null;
    try {
      int n = Integer.parseInt(c.trim());
      return n > 0 ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The terminal device file descriptor {@code fd} of this process writes to, or null when it is
   * not a terminal.
   */
  private static String terminalDevice(int fd) {
    Path link = Path.of("/proc/self/fd/" + fd);
    if (Files.isDirectory(Path.of("/proc/self/fd"))) {
      try {
        String target = Files.readSymbolicLink(link).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console")
            ? target : null;
      } catch (IOException | UnsupportedOperationException e) {
        return null;
      }
    }
    // No /proc (macOS, BSD): ask a shell that inherits the descriptor.
    try {
      ProcessBuilder pb = new ProcessBuilder("sh", "-c", "test -t " + fd);
      if (fd == 1) pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
      if (fd == 2) pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      return p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 ? "/dev/tty" : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * The terminal's width as {@code stty size} reports it, read on first use and again after the
   * terminal was resized (SIGWINCH).
   */
  private static final class RealWidth implements IntSupplier {
    private final String device;
    private volatile int cached = -1;

    RealWidth(String device) {
      this.device = device;
      try {
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> cached = -1);
      } catch (IllegalArgumentException e) {
        // No SIGWINCH here: the width is read once.
      }
    }

    @Override
    public int getAsInt() {
      int w = cached;
      if (w < 0) {
        w = read();
        cached = w;
      }
      return w;
    }

    private int read() {
      try {
        Process p = new ProcessBuilder("stty", "size").redirectInput(new File(device))
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) return DEFAULT_WIDTH;
        String[] parts = new String(out, StandardCharsets.US_ASCII).trim().split("\\s+");
        int cols = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
        return cols > 0 ? cols : DEFAULT_WIDTH;
      } catch (IOException | NumberFormatException e) {
        return DEFAULT_WIDTH;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return DEFAULT_WIDTH;
      }
    }
  }
}
