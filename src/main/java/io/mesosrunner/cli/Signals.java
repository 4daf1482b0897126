package io.mesosrunner.cli;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Ctrl-C, SIGTERM and SIGHUP handling for the real process: instead of the JVM's immediate
 * shutdown, the handler asks the run to kill what it launched, so the runner can exit 130 with
 * nothing left and its journal saying so. SIGHUP (the terminal closed) is handled the same way:
 * a runner whose terminal is gone must not leave its tasks running and its journal saying RUNNING.
 */
final class Signals {

  private Signals() {}

  static void install(Consumer<String> handler) {
    for (String name : new String[] {"INT", "TERM", "HUP"}) {
      try {
        Signal.handle(new Signal(name), s -> handler.accept("SIG" + s.getName()));
      } catch (IllegalArgumentException e) {
        // The signal is not available on this platform (or reserved by the JVM); keep the default.
      }
    }
  }
}
