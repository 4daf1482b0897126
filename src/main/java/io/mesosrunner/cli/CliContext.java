package io.mesosrunner.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command needs from the outside world, passed in so CLI tests run in-process: output
 * streams, the environment, the clock, whether stderr is a live terminal, the signal hook and
 * stdin (a job file given as {@code -}).
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, boolean terminal,
    SignalHook signals, InputStream in) {

  /** A context whose stdin is empty. */
  CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, boolean terminal,
      SignalHook signals) {
    this(out, err, env, clock, terminal, signals, InputStream.nullInputStream());
  }

  /** Lets the run command hear Ctrl-C, SIGTERM and SIGHUP; a no-op in tests. */
  interface SignalHook {
    void onInterrupt(java.util.function.Consumer<String> handler);

    SignalHook NONE = handler -> { };
  }
}
