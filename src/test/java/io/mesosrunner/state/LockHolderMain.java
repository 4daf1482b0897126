package io.mesosrunner.state;

import java.nio.file.Path;

/**
 * Child process for the lock tests. {@code hold DIR}: takes the lock, prints {@code locked}, holds
 * it until stdin closes. {@code try DIR}: tries once and prints {@code acquired} or
 * {@code refused <holder pid> <message>}.
 */
public final class LockHolderMain {

  private LockHolderMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[1]);
    if (args[0].equals("hold")) {
      try (StateLock lock = StateLock.acquire(dir)) {
        System.out.println("locked");
        System.out.flush();
        System.in.readAllBytes();
      }
    } else {
      try (StateLock lock = StateLock.acquire(dir)) {
        System.out.println("acquired");
      } catch (StateLockedException e) {
        System.out.println("refused " + e.holderPid() + " " + e.getMessage());
      }
    }
  }
}
