package io.mesosrunner.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Ctrl-C and SIGTERM handling for the real process: instead of the JVM's immediate shutdown, the
 * handler asks the run to kill what it launched, so the runner can exit 130 with nothing left.
 */
final class Signals {

  private Signals() {}

  static void install(Consumer<String> handler) {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), s -> handler.accept("SIG" + s.getName()));
      } catch (IllegalArgumentException e) {
        // The signal is not available on this platform (or reserved by the JVM); keep the default.
      }
    }
  }
}
