package io.mesosrunner.testing;

import java.time.Duration;

/** Waits for a condition instead of sleeping and hoping; fails with what was awaited. */
public final class Await {
  private Await() {}

  /** Something to check that may throw (a file not yet there, a journal being written). */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Returns as soon as {@code condition} holds; throws {@link AssertionError} naming
   * {@code what} after {@code timeout}. An exception from the condition counts as "not yet".
   */
  public static void until(String what, Duration timeout, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (true) {
      try {
        if (condition.holds()) return;
      } catch (Exception e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        AssertionError failure = new AssertionError("not within " + timeout + ": " + what);
        if (last != null) failure.initCause(last);
        throw failure;
      }
      Thread.sleep(20);
    }
  }
}
