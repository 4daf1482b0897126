package io.mesosrunner.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command needs from the outside world, passed in so CLI tests run in-process: output
 * streams, the environment, the clock, what the streams are connected to, the signal hook and
 * stdin (a job file given as {@code -}).
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Terminal terminal,
    SignalHook signals, InputStream in) {

  /** A context whose stdin is empty. */
  CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, Terminal terminal,
      SignalHook signals) {
    this(out, err, env, clock, terminal, signals, InputStream.nullInputStream());
  }

  /**
   * A context whose stdin is empty and whose streams are terminals ({@code terminal}: both, 80
   * columns unless COLUMNS) or not.
   */
  CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, boolean terminal,
      SignalHook signals) {
    this(out, err, env, clock, terminal ? Terminal.of(true, true, Terminal.DEFAULT_WIDTH, env) : Terminal.none(),
        signals);
  }

  /** Lets the run command hear Ctrl-C, SIGTERM and SIGHUP; a no-op in tests. */
  interface SignalHook {
    void onInterrupt(java.util.function.Consumer<String> handler);

    SignalHook NONE = handler -> { };
  }
}
