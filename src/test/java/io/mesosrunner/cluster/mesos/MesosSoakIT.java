package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.FaultChecks.assertCompletedExactlyOnce;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A soak: many instances of a short task, about one attempt in ten failing, and the event stream
 * dropped every two seconds while the run goes on. Every instance must complete exactly once.
 *
 * <p>{@code -Dsoak.instances=N} sets the size (500 by default, for CI; {@code bench/soak.sh}
 * runs 10,000). Output tailing is off: the soak is about the scheduler, the adapter and the
 * acknowledgement traffic, and 10,000 tasks polled for output would measure the test master's
 * file server instead.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class MesosSoakIT {

  private static final int INSTANCES = Integer.getInteger("soak.instances", 500);
  /** Retries per instance; the failure pattern below never needs more than a few. */
  private static final int RETRIES = 8;
  private static final long MIB = 1024 * 1024;

  private TestMaster master;
  private MesosRun run;
  private ScheduledExecutorService chaos;

  @AfterEach
  void tearDown() {
    if (chaos != null) chaos.shutdownNow();
    if (run != null) run.close();
    if (master != null) master.close();
  }

  /** Deterministic: about 10 % of task ids (which carry the attempt number) fail with exit code 1. */
  static boolean fails(String taskId) {
    int h = taskId.hashCode() * 0x9E3779B1;
    return Math.floorMod(h ^ (h >>> 16), 10) == 0;
  }

  private static TaskBehaviour behaviour(TaskInfo t) {
    String id = t.getTaskId().getValue();
    return fails(id) ? TaskBehaviour.exitAfter(Duration.ofMillis(20), 1) : TaskBehaviour.finishAfter(Duration.ofMillis(20));
  }

  /**
   * The heap bound, 96 MiB plus 20 KiB per instance (291 MiB for 10,000, 106 MiB for 500). Most
   * of what stays live is the test master's, in this same JVM: it keeps every call it received
   * and every event it sent (about 3.3 calls and 5 events per instance, with their protobufs) and
   * every TaskInfo launched; 10,000 instances left 132 MiB live after a full GC at the end, the
   * scheduler's own attempt records a few MiB of it. The peak is measured after collections, so
   * garbage does not count. A leak of a few KiB per task (output buffers, offers or timers never
   * released) would cross it.
   */
  static long heapBoundBytes(int instances) {
    return 96 * MIB + (long) instances * 20 * 1024;
  }

  private static final String NOT_SUBSCRIBED = "Framework is not subscribed";

  @Test
  void everyInstanceCompletesExactlyOnceDespiteFailuresAndAStreamDroppedEveryTwoSeconds() throws Exception {
    master = TestMaster.builder()
        .allocationInterval(Duration.ofMillis(50))
        .heartbeatInterval(Duration.ofMillis(500))
        .stepDelay(Duration.ofMillis(5))
        .killDelay(Duration.ofMillis(20))
        .updateRetryInterval(Duration.ofSeconds(5))
        .ackGrace(Duration.ofSeconds(30))
        .behaviours(MesosSoakIT::behaviour)
        .build().start();
    for (int i = 0; i < 4; i++) {
      master.addAgent(AgentSpec.standard().withId("").withHostname("agent-" + i).withResources(8, 65536, 100000));
    }
    HeapSampler heap = new HeapSampler();
    long started = System.nanoTime();
    run = MesosRun.start(master, """
        name: soak
        command: short
        cpus: 0.1
        mem: 32
        instances: %d
        retries: %d
        """.formatted(INSTANCES, RETRIES), b -> b.tailOutput(false).maxReconnectAttempts(50));
    List<Instant> drops = new CopyOnWriteArrayList<>();
    chaos = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "soak-chaos");
      t.setDaemon(true);
      return t;
    });
    chaos.scheduleAtFixedRate(() -> {
      drops.add(Instant.now());
      master.dropStream();
    }, 2, 2, TimeUnit.SECONDS);

    Outcome outcome = run.await(Duration.ofMinutes(10));
    chaos.shutdownNow();
    double seconds = (System.nanoTime() - started) / 1e9;
    assertThat(outcome).as("outcome; %s", run.scheduler.outcomeReason()).isEqualTo(Outcome.SUCCEEDED);
    // Calls already on their way when a stream is dropped are refused 403 "Framework is not
    // subscribed": no client can avoid that. They must all fall just after an injected drop.
    List<ReceivedCall> refused = master.calls().stream().filter(c -> c.status() == 403).toList();
    assertThat(refused).as("calls refused 403 outside the second after a dropped stream")
        .allMatch(c -> c.body().equals(NOT_SUBSCRIBED)
            && drops.stream().anyMatch(d -> !c.at().isBefore(d) && c.at().isBefore(d.plusSeconds(1))));
    assertCompletedExactlyOnce(run, INSTANCES,
        v -> v.kind().equals("HTTP_403") && v.detail().endsWith("'" + NOT_SUBSCRIBED + "'"), master);
    heap.stop();

    long failures = run.instances().stream().mapToLong(InstanceRecord::failures).sum();
    long losses = run.instances().stream().mapToLong(InstanceRecord::losses).sum();
    long subscribes = master.calls(Call.Type.SUBSCRIBE).stream().filter(c -> c.status() == 200).count();
    System.out.printf(Locale.ROOT,
        "SOAK instances=%d wall=%.1fs drops=%d subscriptions=%d attempts=%d failures=%d losses=%d calls=%d "
            + "heap_start=%dMiB heap_peak=%dMiB heap_end=%dMiB bound=%dMiB%n",
        INSTANCES, seconds, drops.size(), subscribes, run.scheduler.progress().attempts(), failures, losses,
        master.calls().size(), heap.start / MIB, heap.peak.get() / MIB, heap.end / MIB,
        heapBoundBytes(INSTANCES) / MIB);

    assertThat(failures).as("failed attempts (about 10 %%)").isGreaterThan(INSTANCES / 20);
    System.out.printf(Locale.ROOT, "SOAK calls refused during a drop: %d%n", refused.size());
    assertThat(drops.size()).as("streams dropped during the run").isPositive();
    assertThat(subscribes).isGreaterThan(1);
    // Growth over the heap live at the start (earlier tests in this JVM may have left some).
    assertThat(heap.peak.get() - heap.start).as("peak live heap growth").isLessThan(heapBoundBytes(INSTANCES));
  }

  /**
   * The live heap: the heap in use right after each garbage collection (reported by the JVM's
   * GC notifications), its peak over the run, with a full GC before the start and after the end.
   * Garbage not yet collected does not count, so the figure does not depend on when GC runs.
   */
  private static final class HeapSampler {
    final AtomicLong peak = new AtomicLong();
    final long start;
    long end;
    private final List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();
    private final javax.management.NotificationListener listener = (n, h) -> {
      if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
      var info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) n.getUserData());
      long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
          .mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
      peak.accumulateAndGet(after, Math::max);
    };

    HeapSampler() {
      System.gc();
      start = used();
      peak.set(start);
      for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof javax.management.NotificationEmitter e) {
          e.addNotificationListener(listener, null, null);
          emitters.add(e);
        }
      }
    }

    void stop() {
      System.gc();
      end = used();
      peak.accumulateAndGet(end, Math::max);
      for (var e : emitters) {
        try {
          e.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // already gone
        }
      }
    }

    private static long used() {
      Runtime rt = Runtime.getRuntime();
      return rt.totalMemory() - rt.freeMemory();
    }
  }
}
