package io.mesosrunner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * File names in any locale. Java 17 decodes the command line and encodes file names with the
 * charset of the locale it started in ({@code sun.jnu.encoding}), fixed at start-up: with no locale
 * set (LANG unset, as in containers, cron and CI images) that is ASCII, and a job file named
 * {@code données/étl.yaml} cannot even be named. So when the runner starts in a locale that is not
 * UTF-8 and its command line holds bytes outside ASCII, it runs itself again, once, with
 * {@code LC_ALL=C.UTF-8} (which its tasks then inherit), passing the arguments' bytes hex-encoded
 * in a file the system property {@link #ARGS} names (the command line of a child is encoded in the
 * same ASCII; a property, unlike the environment, does not reach the tasks); this process then
 * waits for that one, passes its exit code on, and forwards SIGTERM and SIGHUP (Ctrl-C reaches both
 * through the terminal). Where that cannot help ({@code C.UTF-8} missing), {@link #advice} says in
 * one line what to set.
 */
final class LocaleReexec {

  /** System property naming the file of the arguments' bytes, hex-encoded, one a line, handed to the run again. */
  static final String ARGS = "runner.args.file";

  private LocaleReexec() {}

  /** Whether file names are encoded as UTF-8 in this JVM. */
  static boolean utf8FileNames() {
    String jnu = System.getProperty("sun.jnu.encoding", "");
    return jnu.equalsIgnoreCase("UTF-8") || jnu.equalsIgnoreCase("UTF8");
  }

  /** The one line saying what to set, for a file name this JVM cannot encode. */
  static String advice(String name) {
    return "runner: cannot use the file name '" + name + "': this Java reads file names in the locale's charset ("
        + System.getProperty("sun.jnu.encoding") + "); set a UTF-8 locale, e.g. LC_ALL=C.UTF-8";
  }

  /**
   * The arguments to run with: those handed on by the run this one was started from, or
   * {@code args}.
   */
  static String[] arguments(String[] args) {
    String file = System.getProperty(ARGS);
    if (file == null) return args;
    List<String> out = new ArrayList<>();
    try {
      for (String a : Files.readAllLines(Path.of(file), StandardCharsets.US_ASCII)) {
        out.add(new String(HexFormat.of().parseHex(a), StandardCharsets.UTF_8));
      }
      Files.deleteIfExists(Path.of(file));
    } catch (IOException | RuntimeException e) {
      return args;
    }
    return out.toArray(new String[0]);
  }

  /**
   * Runs this command line again with {@code LC_ALL=C.UTF-8} when that is what it needs, and
   * returns its exit code; null when it does not need it (or cannot be done), to run here.
   */
  static Integer runAgainIfNeeded() {
    if (utf8FileNames() || System.getProperty(ARGS) != null) return null;
    List<byte[]> cmdline = cmdline();
    if (cmdline == null) return null;
    int jar = -1;
    for (int i = 0; i < cmdline.size(); i++) {
      if (new String(cmdline.get(i), StandardCharsets.ISO_8859_1).equals("-jar")) {
        jar = i + 1;
        break;
      }
    }
    if (jar < 1 || jar >= cmdline.size()) return null;
    boolean needed = false;
    for (int i = jar + 1; i < cmdline.size(); i++) needed |= !ascii(cmdline.get(i));
    if (!needed) return null;
    List<String> command = new ArrayList<>();
    for (int i = 0; i <= jar; i++) {
      // The java launcher, its options and the jar: given as they are, when they are ASCII.
      if (!ascii(cmdline.get(i))) return null;
      command.add(new String(cmdline.get(i), StandardCharsets.US_ASCII));
    }
    List<String> hex = new ArrayList<>();
    for (int i = jar + 1; i < cmdline.size(); i++) hex.add(HexFormat.of().formatHex(cmdline.get(i)));
    try {
      Path file = Files.createTempFile("runner-args", ".hex");
      Files.write(file, hex, StandardCharsets.US_ASCII);
      command.add(1, "-D" + ARGS + "=" + file);
    } catch (IOException e) {
      return null;
    }
    ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
    pb.environment().put("LC_ALL", "C.UTF-8");
    try {
      Process child = pb.start();
      forwardSignals(child);
      return child.waitFor();
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  /** Ctrl-C reaches the child from the terminal; SIGTERM and SIGHUP sent to this process are passed on. */
  private static void forwardSignals(Process child) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> { });
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> child.destroy());
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> child.destroy());
    } catch (IllegalArgumentException e) {
      // A signal this platform does not have: nothing to forward.
    }
  }

  /** This process's command line as bytes (Linux); null where it cannot be read. */
  private static List<byte[]> cmdline() {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | RuntimeException e) {
      return null;
    }
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == 0) {
        out.add(java.util.Arrays.copyOfRange(raw, start, i));
        start = i + 1;
      }
    }
    return out;
  }

  private static boolean ascii(byte[] bytes) {
    for (byte b : bytes) if (b < 0) return false;
    return true;
  }
}
