package io.mesosrunner.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/**
 * What a command needs from the outside world, passed in so CLI tests run in-process: output
 * streams, the environment, the clock, and whether stderr is a live terminal.
 */
record CliContext(PrintStream out, PrintStream err, Map<String, String> env, Clock clock, boolean terminal,
    SignalHook signals) {

  /** Lets the run command hear Ctrl-C and SIGTERM; a no-op in tests. */
  interface SignalHook {
    void onInterrupt(java.util.function.Consumer<String> handler);

    SignalHook NONE = handler -> { };
  }
}
