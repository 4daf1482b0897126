package io.mesosrunner.cluster.local;

import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class PerlProcessStarterTest {

  @TempDir Path dir;

  private final BlockingQueue<String> deaths = new LinkedBlockingQueue<>();
  private PerlProcessStarter starter;

  @BeforeEach
  void startSpawner() {
    starter = PerlProcessStarter.tryStart(deaths::add);
    assertThat(starter).as("perl spawner (perl-base is on every Debian system)").isNotNull();
  }

  @AfterEach
  void closeSpawner() {
    starter.close();
  }

  /** Records one start's callbacks. */
  private static final class Outcome implements ProcessStarter.Callback {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicInteger ends = new AtomicInteger();
    volatile long pid;
    volatile int exitValue = -1;
    volatile String startError;

    @Override
    public void started(long pid) {
      this.pid = pid;
      started.countDown();
    }

    @Override
    public void ended(int exitValue, String startError) {
      this.exitValue = exitValue;
      this.startError = startError;
      ends.incrementAndGet();
      ended.countDown();
    }

    Outcome awaitEnd() throws InterruptedException {
      assertThat(ended.await(10, TimeUnit.SECONDS)).as("ended in time").isTrue();
      return this;
    }
  }

  private Outcome start(String name, String shell) {
    Outcome o = new Outcome();
    starter.start(dir.resolve(name), Map.of("GREETING", "hi"), List.of("/bin/sh", "-c", shell), o);
    return o;
  }

  private Outcome startedTask(String name, String shell) throws InterruptedException {
    Outcome o = start(name, shell);
    assertThat(o.started.await(10, TimeUnit.SECONDS)).isTrue();
    return o;
  }

  /** Sends the spawner process (pid in its description) a signal, as a terminal or a user would. */
  private void signalSpawner(String signal) throws Exception {
    long spawner = Long.parseLong(starter.describe().replaceAll("\\D+", ""));
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(spawner)).start().waitFor()).isZero();
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  @Timeout(20)
  void reportsTheExitValueAndLeavesOutputAndPidInTheSandbox() throws Exception {
    Outcome o = start("a/b/sandbox", "echo \"$GREETING from $(pwd)\"; echo oops >&2; exit 3").awaitEnd();
    assertThat(o.pid).isPositive();
    assertThat(o.exitValue).isEqualTo(3);
    assertThat(o.startError).isNull();
    Path sandbox = dir.resolve("a/b/sandbox");
    assertThat(Files.readString(sandbox.resolve("stdout"))).isEqualTo("hi from " + sandbox.toRealPath() + "\n");
    assertThat(Files.readString(sandbox.resolve("stderr"))).isEqualTo("oops\n");
    assertThat(Files.readString(sandbox.resolve(LocalCluster.PID_FILE))).startsWith(o.pid + " ");
  }

  @Test
  @Timeout(20)
  void reportsDeathBySignalNAs128PlusN() throws Exception {
    Outcome o = start("s", "kill -KILL $$").awaitEnd();
    assertThat(o.exitValue).isEqualTo(128 + 9);
  }

  @Test
  @Timeout(20)
  void signalsWholeProcessGroups() throws Exception {
    Outcome o = startedTask("g", "sleep 60 & sleep 60; wait");
    Await.until("the task's two children", Duration.ofSeconds(5),
        () -> ProcessHandle.of(o.pid).map(h -> h.children().count()).orElse(0L) >= 2);
    List<ProcessHandle> children = ProcessHandle.of(o.pid).map(h -> h.children().toList()).orElse(List.of());
    assertThat(children).hasSize(2);
    starter.signalGroups(List.of(o.pid), "TERM");
    o.awaitEnd();
    assertThat(o.exitValue).isEqualTo(128 + 15);
    for (ProcessHandle child : children) {
      child.onExit().get(5, TimeUnit.SECONDS);
      assertThat(child.isAlive()).isFalse();
    }
  }

  @Test
  @Timeout(20)
  void aProgramThatCannotBeExecutedEndsWith127AndSaysWhy() throws Exception {
    Outcome o = new Outcome();
    starter.start(dir.resolve("x"), Map.of(), List.of("/nonexistent/program", "arg"), o);
    o.awaitEnd();
    assertThat(o.exitValue).isEqualTo(127);
    assertThat(o.startError).isEqualTo("Failed to start command: /nonexistent/program: No such file or directory");
    assertThat(Files.readString(dir.resolve("x/stderr"))).isEqualTo(o.startError + "\n");
  }

  @Test
  @Timeout(20)
  void ignoresTheTerminalsInterruptSoThatTheRunnerDecidesWhenTasksDie() throws Exception {
    Outcome o = startedTask("i", "sleep 0.5; exit 7");
    signalSpawner("INT");
    signalSpawner("TERM");
    assertThat(o.awaitEnd().exitValue).isEqualTo(7);
    assertThat(deaths).isEmpty();
  }

  @Test
  @Timeout(20)
  void saysSoWhenTheSpawnerDiesAndTheTasksLiveOnInTheirSessions() throws Exception {
    Outcome o = startedTask("d", "sleep 60");
    signalSpawner("KILL");
    String why = deaths.poll(10, TimeUnit.SECONDS);
    assertThat(why).contains("process spawner").contains("ended unexpectedly");
    assertThat(alive(o.pid)).isTrue();
    new ProcessTrees(new ProcessTrees.KillCommand()).signal(o.pid, ConcurrentHashMap.newKeySet(), true);
    ProcessHandle.of(o.pid).ifPresent(h -> h.onExit().join());
    // After its death a start fails at once, with a reason.
    Outcome late = start("late", "true").awaitEnd();
    assertThat(late.exitValue).isEqualTo(127);
    assertThat(late.startError).contains("spawner is gone");
  }

  @Test
  @Timeout(60)
  void startsFromManyThreadsEachEndReportedExactlyOnce() throws Exception {
    int threads = 4;
    int each = 50;
    List<Outcome> outcomes = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Outcome> mine = new ArrayList<>();
      for (int i = 0; i < each; i++) {
        mine.add(new Outcome());
      }
      outcomes.addAll(mine);
      int thread = t;
      workers.add(new Thread(() -> {
        for (int i = 0; i < each; i++) {
          starter.start(dir.resolve("m" + thread + "-" + i), Map.of("N", Integer.toString(i)),
              List.of("/bin/sh", "-c", "exit $((N % 5))"), mine.get(i));
        }
      }));
    }
    workers.forEach(Thread::start);
    for (Thread w : workers) {
      w.join();
    }
    for (int k = 0; k < outcomes.size(); k++) {
      Outcome o = outcomes.get(k).awaitEnd();
      assertThat(o.exitValue).isEqualTo((k % each) % 5);
    }
    Thread.sleep(Duration.ofMillis(100).toMillis());
    assertThat(outcomes).allSatisfy(o -> assertThat(o.ends.get()).isEqualTo(1));
  }
}
