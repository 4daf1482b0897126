package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The call queue's order rules on real threads: parallel up to its size, barriers alone and in order. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CallQueueTest {

  private static CallQueue queue(int threads) {
    return new CallQueue(threads, r -> {
      Thread t = new Thread(r, "call-queue-test");
      t.setDaemon(true);
      return t;
    });
  }

  @Test
  void independentCallsRunTogetherUpToTheNumberOfThreads() throws Exception {
    CallQueue q = queue(3);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch threeStarted = new CountDownLatch(3);
    CountDownLatch fourStarted = new CountDownLatch(4);
    for (int i = 0; i < 5; i++) {
      q.submit(true, () -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        threeStarted.countDown();
        fourStarted.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
      });
    }
    assertThat(threeStarted.await(5, TimeUnit.SECONDS)).isTrue();
    // A fourth call must not start while three run: a bounded window in which it would.
    assertThat(fourStarted.await(100, TimeUnit.MILLISECONDS)).as("a fourth call started while three ran").isFalse();
    assertThat(most.get()).isEqualTo(3);
    release.countDown();
    assertThat(q.close(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void aBarrierStartsOnlyAfterEveryEarlierCallEndedAndRunsAlone() throws Exception {
    CallQueue q = queue(4);
    List<String> log = new CopyOnWriteArrayList<>();
    CountDownLatch slowStarted = new CountDownLatch(1);
    q.submit(true, () -> {
      slowStarted.countDown();
      sleep(200);
      log.add("slow independent done");
    });
    q.submit(false, () -> {
      log.add("barrier start");
      sleep(100);
      log.add("barrier done");
    });
    q.submit(true, () -> log.add("later independent"));
    assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(q.close(Duration.ofSeconds(5))).isTrue();
    assertThat(log).containsExactly("slow independent done", "barrier start", "barrier done", "later independent");
  }

  @Test
  void closeRunsWhatWasQueuedAndRefusesLaterCalls() throws Exception {
    CallQueue q = queue(2);
    AtomicInteger ran = new AtomicInteger();
    for (int i = 0; i < 50; i++) {
      q.submit(i % 7 != 0, ran::incrementAndGet);
    }
    assertThat(q.close(Duration.ofSeconds(5))).isTrue();
    assertThat(ran.get()).isEqualTo(50);
    assertThat(q.submit(true, ran::incrementAndGet)).isFalse();
    assertThat(ran.get()).isEqualTo(50);
  }

  @Test
  void refusesZeroThreads() {
    assertThatThrownBy(() -> queue(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads (0)");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
