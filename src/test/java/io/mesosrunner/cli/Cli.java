package io.mesosrunner.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs the command line in-process with captured streams. */
final class Cli {
  private Cli() {}

  private static final java.nio.file.Path LEDGER_DIR;

  static {
    try {
      LEDGER_DIR = java.nio.file.Files.createTempDirectory("runner-ledger");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static CliResult run(String... args) {
    return run(Map.of(), args);
  }

  static CliResult run(Map<String, String> extraEnv, String... args) {
    return run(extraEnv, CliContext.SignalHook.NONE, args);
  }

  /** Runs with {@code stdin} as the process's standard input. */
  static CliResult withStdin(String stdin, Map<String, String> extraEnv, String... args) {
    return run(extraEnv, CliContext.SignalHook.NONE, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        Terminal.none(), args);
  }

  /** Runs with a signal hook, so a test can play Ctrl-C. */
  static CliResult run(Map<String, String> extraEnv, CliContext.SignalHook signals, String... args) {
    return run(extraEnv, signals, java.io.InputStream.nullInputStream(), Terminal.none(), args);
  }

  /** Runs as if the streams were connected as {@code terminal} says. */
  static CliResult run(Map<String, String> extraEnv, Terminal terminal, String... args) {
    return run(extraEnv, CliContext.SignalHook.NONE, java.io.InputStream.nullInputStream(), terminal, args);
  }

  private static CliResult run(Map<String, String> extraEnv, CliContext.SignalHook signals, java.io.InputStream stdin,
      Terminal terminal,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("MESOS_MASTER");
    env.remove("RUNNER_MASTER");
    env.remove("RUNNER_STATE_DIR");
    // In-process runs share the machine's ledger of local resources with this JVM's runs only, not
    // with every runner on the machine (other test runs would make them wait).
    env.put("RUNNER_LOCAL_LEDGER_DIR", LEDGER_DIR.toString());
    env.putAll(extraEnv);
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code = Main.execute(new CliContext(o, e, env, Clock.systemUTC(), terminal, signals, stdin), args);
    return new CliResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
