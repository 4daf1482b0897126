package io.mesosrunner.bench;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drives {@link JobScheduler} alone (no processes, no threads, no cluster) through a whole job of
 * N instances of 1 cpu on synthetic agents: each round offers every agent's free resources, then
 * answers every launched task with STARTING, RUNNING and FINISHED updates carrying uuids
 * (acknowledgements are ignored), until the run ends. Prints one line of tab-separated values:
 * {@code instances events millis eventsPerSec nanosPerEvent retainedMiB bytesPerInstance peakHeapMiB outcome}.
 *
 * <p>Usage: {@code SchedulerScale INSTANCES [AGENTS] [CPUS_PER_AGENT] [--histo]}
 */
public final class SchedulerScale {

  private SchedulerScale() {}

  public static void main(String[] args) throws Exception {
    int instances = Integer.parseInt(args[0]);
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    int cpusPerAgent = args.length > 2 ? Integer.parseInt(args[2]) : 32;
    boolean histo = List.of(args).contains("--histo");

    String yaml = "version: 1\nname: scale\ncommand: 'true'\ncpus: 1\nmem: 32\ninstances: " + instances + "\n";
    Job job = new JobLoader(Map.of()).parse("scale.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    long before = liveHeap();
    resetPeaks();

    long t0 = System.nanoTime();
    JobScheduler scheduler = new JobScheduler(job, new RunInfo("bench", null, null, null), clock);
    long events = 0;
    scheduler.handle(new Event.Subscribed("fw", "synthetic"));
    events++;
    int[] freeCpus = new int[agents];
    java.util.Arrays.fill(freeCpus, cpusPerAgent);
    long round = 0;
    long uuid = 0;
    List<TaskSpec> launched = new ArrayList<>();
    while (!scheduler.isEnded()) {
      round++;
      List<Offer> offers = new ArrayList<>(agents);
      for (int a = 0; a < agents; a++) {
        if (freeCpus[a] == 0) continue;
        offers.add(new Offer("o-" + round + "-" + a, "agent-" + a, "host-" + a, "*",
            new Resources(freeCpus[a], 1024.0 * freeCpus[a], 0, 0), List.of(), Map.of()));
      }
      launched.clear();
      for (Action action : scheduler.handle(new Event.OffersReceived(offers))) {
        if (action instanceof Action.Launch l) {
          int agent = Integer.parseInt(l.agentId().substring("agent-".length()));
          for (TaskSpec t : l.tasks()) {
            freeCpus[agent] -= (int) Math.round(t.placement().resources().cpus());
            launched.add(t);
          }
        }
      }
      events++;
      if (launched.isEmpty() && !scheduler.isEnded()) {
        throw new IllegalStateException("round " + round + " launched nothing: " + scheduler.progress());
      }
      for (TaskSpec t : launched) {
        String agent = t.placement().offer().agentId();
        for (TaskState st : new TaskState[] {TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED}) {
          Integer exit = st == TaskState.FINISHED ? 0 : null;
          scheduler.handle(new Event.StatusUpdate(
              new TaskStatus(t.taskId(), st, agent, null, null, exit, Long.toString(++uuid))));
          events++;
        }
        freeCpus[Integer.parseInt(agent.substring("agent-".length()))] += (int) Math.round(t.placement().resources().cpus());
      }
    }
    long nanos = System.nanoTime() - t0;
    launched.clear();
    long peak = peakHeap();
    long after = liveHeap(); // the scheduler is still reachable: this is what it retains
    if (histo) printHistogram();
    Outcome outcome = scheduler.outcome();
    System.out.printf(Locale.ROOT, "%d\t%d\t%.0f\t%.0f\t%.0f\t%.1f\t%.0f\t%.1f\t%s%n", instances, events, nanos / 1e6,
        events / (nanos / 1e9), (double) nanos / events, (after - before) / 1048576.0,
        (double) (after - before) / instances, peak / 1048576.0, outcome);
    if (scheduler.progress().done() != instances) throw new IllegalStateException("done " + scheduler.progress());
    if (outcome != Outcome.SUCCEEDED) System.exit(1);
    // keep the scheduler alive until measured
    if (scheduler.job() == null) System.out.println();
  }

  private static long liveHeap() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) System.gc();
    return m.getHeapMemoryUsage().getUsed();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
  }

  /** Sum of the heap pools' peaks (an upper bound on the peak total: pools peak at different times). */
  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
    }
    return sum;
  }

  private static void printHistogram() throws Exception {
    long pid = ProcessHandle.current().pid();
    Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    p.waitFor();
    for (int i = 0; i < Math.min(lines.size(), 25); i++) System.err.println(lines.get(i));
  }
}
