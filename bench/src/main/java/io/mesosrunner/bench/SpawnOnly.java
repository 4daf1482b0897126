package io.mesosrunner.bench;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * The floor for a JVM in the local throughput benchmark: starts {@code n} times
 * {@code /bin/sh -c true}, {@code parallel} at a time, with the JDK's process builder (VFORK) and
 * nothing else: no job file, no process groups, no sandbox files, no journal, no status updates.
 * Usage: {@code SpawnOnly <n> <parallel>}.
 */
public final class SpawnOnly {

  private SpawnOnly() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    int n = Integer.parseInt(args[0]);
    int parallel = Integer.parseInt(args[1]);
    Semaphore slots = new Semaphore(parallel);
    CountDownLatch done = new CountDownLatch(n);
    File devNull = new File("/dev/null");
    for (int i = 0; i < n; i++) {
      slots.acquire();
      Process p = new ProcessBuilder("/bin/sh", "-c", "true")
          .redirectInput(devNull)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      p.toHandle().onExit().whenComplete((h, e) -> {
        slots.release();
        done.countDown();
      });
    }
    done.await();
  }
}
