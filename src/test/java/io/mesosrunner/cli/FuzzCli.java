package io.mesosrunner.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** Lets tests outside this package run the command line in-process with captured streams. */
public final class FuzzCli {
  private FuzzCli() {}

  /** What one in-process run printed and returned. */
  public record Result(int exitCode, String out, String err) {}

  /** Runs {@code runner ARGS...} with the given environment; nothing reaches the real stdout or stderr. */
  public static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.execute(new CliContext(o, e, env, Clock.systemUTC(), false, CliContext.SignalHook.NONE), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
