package io.mesosrunner.bench;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.cluster.mesos.testmaster.Violation;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Cluster makespan: many short tasks on many fake agents of the Mesos test master, run once by the
 * runner (JobScheduler + JobRun + MesosCluster) and once by a seed-style framework (one task per
 * offer, the rest of the offer refused with the default 5 s filter), through the same adapter.
 *
 * <p>Makespan is measured on the master's side: from the first OFFERS event it sent to the last
 * TASK_FINISHED update it sent. The ideal is {@code tasks x duration / slots}; the offer-cycle
 * bound is what any framework that can launch only on offers can reach when offers come every
 * allocation interval: a slot freed just after a round of offers waits for the next one.
 *
 * <p>Arguments: {@code --agents N --cpus N --tasks N --duration-ms N --allocation-ms N --step-ms N
 * --only runner|seed --agent-filters --out FILE --timeout-s N --smoke}. Prints a Markdown table and
 * writes it to {@code --out} (default {@code bench/results/makespan.md}, or
 * {@code bench/results/makespan-smoke.md} for the smoke size).
 */
public final class MakespanBench {

  /** What the bench runs. */
  record Params(int agents, int cpus, int tasks, long durationMs, long allocationMs, long stepMs,
                String only, boolean agentFilters, Path out, long timeoutS) {
    Params {
      if (agents < 1 || cpus < 1 || tasks < 1 || durationMs < 0 || allocationMs < 1 || stepMs < 1) {
        throw new IllegalArgumentException("sizes must be positive: agents " + agents + ", cpus " + cpus
            + ", tasks " + tasks + ", duration " + durationMs + " ms, allocation " + allocationMs
            + " ms, step " + stepMs + " ms");
      }
    }

    int slots() {
      return agents * cpus;
    }

    double idealS() {
      return (double) tasks * durationMs / slots() / 1000.0;
    }

    /** Makespan reachable when slots can be refilled only at allocation ticks. */
    double offerCycleBoundS() {
      long rounds = (tasks + slots() - 1) / slots();
      long cycle = allocationMs * (durationMs / allocationMs + 1);
      return ((rounds - 1) * cycle + durationMs) / 1000.0;
    }
  }

  /** One measured run; {@code cpu} is CPU seconds per thread group (see {@link CpuSampler}). */
  record Result(String approach, int finished, double makespanS, double wallS, int accepts, int declines,
                int acks, long maxTasksPerAccept, Map<String, Long> violations, String note,
                Map<String, Double> cpu, int calls) {}

  /**
   * CPU time (user + system) per thread group while a run is measured, from {@link
   * java.lang.management.ThreadMXBean} sampled every 200 ms (a thread's last 200 ms before it
   * ends are lost; the pools here keep their threads for the whole run). Groups: the runner's
   * own threads (the JobRun loop, which is a common-pool thread here, {@code mesos-*} and the
   * HttpClient's threads), the test master's threads ({@code test-master-*} and the HttpServer
   * dispatcher), and the JVM (garbage collection and JIT: the process CPU time minus every Java
   * thread's).
   */
  static final class CpuSampler implements AutoCloseable {
    private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final Map<Long, Long> startNanos = new java.util.HashMap<>();
    private final Map<Long, Long> lastNanos = new java.util.HashMap<>();
    private final Map<Long, String> names = new java.util.HashMap<>();
    private final long processStart;
    private final java.util.concurrent.ScheduledExecutorService every =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "bench-cpu-sampler");
          t.setDaemon(true);
          return t;
        });

    CpuSampler() {
      sample(true);
      processStart = os.getProcessCpuTime();
      every.scheduleAtFixedRate(() -> sample(false), 200, 200, TimeUnit.MILLISECONDS);
    }

    private synchronized void sample(boolean first) {
      for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        long id = info.getThreadId();
        long cpu = threads.getThreadCpuTime(id);
        if (cpu < 0) {
          continue;
        }
        // A thread born after the start counts from zero.
        startNanos.putIfAbsent(id, first ? cpu : 0L);
        lastNanos.put(id, cpu);
        names.putIfAbsent(id, info.getThreadName());
      }
    }

    static String group(String thread) {
      if (thread.startsWith("test-master") || thread.startsWith("HTTP-Dispatcher")) {
        return "master";
      }
      if (thread.startsWith("HttpClient")) {
        return "runner: HttpClient threads";
      }
      if (thread.equals("bench-jobrun")) {
        return "runner: JobRun loop";
      }
      if (thread.startsWith("mesos-subscriber")) {
        return "runner: event stream";
      }
      if (thread.startsWith("mesos-")) {
        return "runner: call threads";
      }
      return "other: " + thread.replaceAll("-?\\d+$", "");
    }

    /** CPU seconds per group since construction, plus "jvm (GC, JIT)" and "total (process)". */
    @Override
    public synchronized void close() {
      every.shutdownNow();
      sample(false);
    }

    synchronized Map<String, Double> split() {
      Map<String, Double> out = new TreeMap<>();
      long javaThreads = 0;
      for (Map.Entry<Long, Long> e : lastNanos.entrySet()) {
        long used = e.getValue() - startNanos.get(e.getKey());
        javaThreads += used;
        out.merge(group(names.get(e.getKey())), used / 1e9, Double::sum);
      }
      long process = os.getProcessCpuTime() - processStart;
      out.put("jvm (GC, JIT, ...)", Math.max(0, process - javaThreads) / 1e9);
      out.put("total (process)", process / 1e9);
      return out;
    }
  }

  private MakespanBench() {}

  public static void main(String[] args) throws Exception {
    Params p = parse(args);
    System.out.printf(Locale.ROOT, "makespan bench: %d agents x %d cpus = %d slots, %d tasks of %d ms, "
            + "allocation every %d ms, step delay %d ms, %s refuse filters%n", p.agents(), p.cpus(), p.slots(),
        p.tasks(), p.durationMs(), p.allocationMs(), p.stepMs(), p.agentFilters() ? "whole-agent" : "resource");
    List<Result> results = new ArrayList<>();
    if (!"seed".equals(p.only())) {
      results.add(measure(p, "runner"));
    }
    if (!"runner".equals(p.only())) {
      results.add(measure(p, "seed"));
    }
    String table = table(p, results) + String.format(Locale.ROOT,
        "%nMachine: %d cpus, load average %.1f at the end (other processes included); JVM heap max %d MiB.%n",
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.println();
    System.out.println(table);
    Files.createDirectories(p.out().toAbsolutePath().getParent());
    Files.writeString(p.out(), table, StandardCharsets.UTF_8);
    System.out.println("written to " + p.out());
    boolean allDone = results.stream().allMatch(r -> r.finished() == p.tasks());
    System.exit(allDone ? 0 : 1);
  }

  static Params parse(String[] args) {
    int agents = 1000;
    int cpus = 4;
    int tasks = 100_000;
    long durationMs = 1000;
    long allocationMs = 1000;
    long stepMs = 1;
    String only = null;
    boolean agentFilters = false;
    Path out = null;
    long timeoutS = 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--smoke" -> {
          agents = 20;
          tasks = 400;
          durationMs = 200;
        }
        case "--agents" -> agents = Integer.parseInt(args[++i]);
        case "--cpus" -> cpus = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--duration-ms" -> durationMs = Long.parseLong(args[++i]);
        case "--allocation-ms" -> allocationMs = Long.parseLong(args[++i]);
        case "--step-ms" -> stepMs = Long.parseLong(args[++i]);
        case "--only" -> only = args[++i];
        case "--agent-filters" -> agentFilters = true;
        case "--out" -> out = Path.of(args[++i]);
        case "--timeout-s" -> timeoutS = Long.parseLong(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
      }
    }
    if (out == null) {
      // The smoke run (CI) must not overwrite the full run's committed results.
      out = Path.of(tasks == 400 && agents == 20 ? "bench/results/makespan-smoke.md" : "bench/results/makespan.md");
    }
    if (only != null && !only.equals("runner") && !only.equals("seed")) {
      throw new IllegalArgumentException("--only takes runner or seed, not '" + only + "'");
    }
    Params p = new Params(agents, cpus, tasks, durationMs, allocationMs, stepMs, only, agentFilters, out, 0);
    long limit = timeoutS > 0 ? timeoutS : (long) Math.max(60, 20 * p.offerCycleBoundS() + 60);
    return new Params(agents, cpus, tasks, durationMs, allocationMs, stepMs, only, agentFilters, out, limit);
  }

  private static TestMaster master(Params p) {
    Duration runFor = Duration.ofMillis(p.durationMs());
    TestMaster master = TestMaster.builder()
        .allocationInterval(Duration.ofMillis(p.allocationMs()))
        .heartbeatInterval(Duration.ofSeconds(15))
        .stepDelay(Duration.ofMillis(p.stepMs()))
        .ackGrace(Duration.ofSeconds(5))
        .agentFilesServers(false)
        .resourceRefuseFilters(!p.agentFilters())
        .behaviours(t -> TaskBehaviour.finishAfter(runFor))
        .build().start();
    for (int i = 0; i < p.agents(); i++) {
      master.addAgent(AgentSpec.standard().withResources(p.cpus(), 32L * 1024, 100_000).withPorts()
          .withHostname("agent" + i));
    }
    return master;
  }

  private static MesosConfig config(TestMaster master, String name) {
    return MesosConfig.builder(MasterAddress.parse(master.uri().toString()), name)
        .tailOutput(false)
        .reconnectMin(Duration.ofMillis(50))
        .reconnectMax(Duration.ofMillis(500))
        .build();
  }

  static Job job(Params p) {
    String yaml = "name: bench\ncommand: \"true\"\ncpus: 1\nmem: 32\ninstances: " + p.tasks() + "\n";
    try {
      return new JobLoader(Map.of()).parse("bench.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    } catch (JobFileException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static Result measure(Params p, String approach) throws Exception {
    System.out.printf(Locale.ROOT, "%n== %s: starting the test master with %d agents%n", approach, p.agents());
    try (TestMaster master = master(p)) {
      long t0 = System.nanoTime();
      String note;
      int finished;
      Map<String, Double> cpu;
      try (CpuSampler sampler = new CpuSampler()) {
        if (approach.equals("runner")) {
          Outcome outcome = runRunner(p, master);
          note = "outcome " + outcome;
          finished = master.finishedTaskIds().size();
        } else {
          finished = runSeed(p, master);
          note = "";
        }
        sampler.close();
        cpu = sampler.split();
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      return summarise(p, approach, master, finished, wall, note, cpu);
    }
  }

  private static Outcome runRunner(Params p, TestMaster master) throws Exception {
    JobScheduler scheduler = new JobScheduler(job(p), new RunInfo("bench", "bench.yaml", "00", null),
        Clock.systemUTC());
    try (MesosCluster cluster = new MesosCluster(config(master, "makespan-runner"))) {
      JobRun run = new JobRun(scheduler, cluster, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(5),
          new JobRun.Observer() {
            @Override
            public void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end) {}

            @Override
            public void onProgress(Progress progress) {
              System.out.println("  runner: " + progress);
            }

            @Override
            public void onAttemptEnded(io.mesosrunner.schedule.AttemptEnded ended) {}
          });
      // A named thread, so the CPU split can tell the scheduler loop from the rest.
      java.util.concurrent.ExecutorService loop = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "bench-jobrun");
        t.setDaemon(true);
        return t;
      });
      CompletableFuture<Outcome> outcome = CompletableFuture.supplyAsync(run::run, loop);
      try {
        return outcome.get(p.timeoutS(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        run.interrupt("bench timeout");
        System.out.println("  runner did not finish within " + p.timeoutS() + " s: " + scheduler.progress());
        return outcome.get(60, TimeUnit.SECONDS);
      } finally {
        loop.shutdown();
      }
    }
  }

  /**
   * The seed's approach (hello-mesos without its 2 s sleep): every offer gets exactly one task,
   * the rest of the offer is refused with the default filter (5 s); every update is acknowledged,
   * as the old driver's implicit acknowledgements did. Runs on the adapter's event thread.
   */
  private static int runSeed(Params p, TestMaster master) throws Exception {
    Job job = job(p);
    Resources need = new Resources(1, 32, 0, 0);
    Duration defaultFilter = Duration.ofSeconds(5);
    CompletableFuture<Integer> done = new CompletableFuture<>();
    try (MesosCluster cluster = new MesosCluster(config(master, "makespan-seed"))) {
      ClusterListener listener = new ClusterListener() {
        private int launched;
        private final Set<String> finished = new HashSet<>();
        private long lastPrint = System.nanoTime();

        @Override
        public synchronized void onEvent(Event event) {
          if (event instanceof Event.OffersReceived offers) {
            List<String> unused = new ArrayList<>();
            for (Offer o : offers.offers()) {
              if (launched >= p.tasks() || !o.resources().covers(need)) {
                unused.add(o.id());
                continue;
              }
              int i = launched++;
              TaskSpec spec = new TaskSpec("seed." + i + ".1.bench", job, i, 1,
                  new Placement(Integer.toString(i), o, need, List.of()), Map.of(), Map.of());
              cluster.execute(new Action.Launch(o.id(), o.agentId(), List.of(spec), defaultFilter));
            }
            if (!unused.isEmpty()) {
              cluster.execute(new Action.Decline(unused, defaultFilter));
            }
          } else if (event instanceof Event.StatusUpdate u) {
            var s = u.status();
            if (s.needsAck()) {
              cluster.execute(new Action.Acknowledge(s.taskId(), s.agentId(), s.uuid()));
            }
            if (s.state() == TaskState.FINISHED) {
              finished.add(s.taskId());
              if (finished.size() == p.tasks()) {
                done.complete(finished.size());
              }
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
              lastPrint = System.nanoTime();
              System.out.println("  seed: launched " + launched + ", finished " + finished.size());
            }
          } else if (event instanceof Event.ClusterFailed f) {
            done.completeExceptionally(new IllegalStateException(f.reason()));
          }
        }

        @Override
        public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {}
      };
      cluster.start(listener);
      int finished;
      try {
        finished = done.get(p.timeoutS(), TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        System.out.println("  seed did not finish within " + p.timeoutS() + " s");
        finished = master.finishedTaskIds().size();
      }
      // Let the last acknowledgements go out before the framework leaves.
      Thread.sleep(500);
      cluster.execute(new Action.Teardown());
      return finished;
    }
  }

  private static Result summarise(Params p, String approach, TestMaster master, int finished, double wall,
      String note, Map<String, Double> cpu) {
    Instant firstOffer = null;
    Instant lastFinish = null;
    for (TestMaster.SentEvent e : master.sentEvents()) {
      var ev = e.event();
      if (firstOffer == null && ev.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS) {
        firstOffer = e.at();
      }
      if (ev.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.UPDATE
          && ev.getUpdate().getStatus().getState() == org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED) {
        lastFinish = e.at();
      }
    }
    double makespan = firstOffer == null || lastFinish == null ? Double.NaN
        : Duration.between(firstOffer, lastFinish).toNanos() / 1e9;
    List<ReceivedCall> calls = master.calls();
    int accepts = 0;
    int declines = 0;
    int acks = 0;
    long maxPerAccept = 0;
    for (ReceivedCall c : calls) {
      Call.Type type = c.call().map(Call::getType).orElse(null);
      if (type == Call.Type.ACCEPT) {
        accepts++;
        long n = c.call().get().getAccept().getOperationsList().stream()
            .mapToLong(o -> o.getLaunch().getTaskInfosCount()).sum();
        maxPerAccept = Math.max(maxPerAccept, n);
      } else if (type == Call.Type.DECLINE) {
        declines++;
      } else if (type == Call.Type.ACKNOWLEDGE) {
        acks++;
      }
    }
    if (Boolean.getBoolean("bench.timeline") && firstOffer != null) {
      timeline(firstOffer, master.sentEvents(), calls);
    }
    Map<String, Long> violations = master.violations().stream()
        .collect(Collectors.groupingBy(Violation::kind, TreeMap::new, Collectors.counting()));
    Result r = new Result(approach, finished, makespan, wall, accepts, declines, acks, maxPerAccept, violations,
        note, cpu, calls.size());
    System.out.printf(Locale.ROOT, "  %s: %d/%d finished, makespan %.1f s (ideal %.1f s, ratio %.2f), wall %.1f s, "
            + "%d ACCEPT (at most %d tasks each), %d DECLINE, %d ACKNOWLEDGE, violations %s %s%n", approach, finished,
        p.tasks(), makespan, p.idealS(), makespan / p.idealS(), wall, accepts, maxPerAccept, declines, acks,
        violations, note);
    System.out.printf(Locale.ROOT, "  %s: %d calls, %.0f calls/s over the makespan; CPU s per thread group: %s%n",
        approach, calls.size(), calls.size() / makespan, cpuLine(cpu));
    System.out.printf(Locale.ROOT, "  %s: CPU per task %.2f ms (runner %.2f, master %.2f, jvm %.2f); per call %.0f us%n",
        approach, 1000 * cpu.get("total (process)") / p.tasks(), 1000 * groupSum(cpu, "runner") / p.tasks(),
        1000 * groupSum(cpu, "master") / p.tasks(), 1000 * groupSum(cpu, "jvm") / p.tasks(),
        1e6 * cpu.get("total (process)") / calls.size());
    return r;
  }

  static double groupSum(Map<String, Double> cpu, String prefix) {
    return cpu.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum();
  }

  static String cpuLine(Map<String, Double> cpu) {
    return cpu.entrySet().stream().filter(e -> e.getValue() >= 0.05)
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  /** Per second from the first offer: cpus offered, tasks launched, updates sent, calls answered. */
  private static void timeline(Instant start, List<TestMaster.SentEvent> events, List<ReceivedCall> calls) {
    TreeMap<Long, long[]> rows = new TreeMap<>();
    for (TestMaster.SentEvent e : events) {
      long sec = Duration.between(start, e.at()).toMillis() / 1000;
      long[] r = rows.computeIfAbsent(sec, k -> new long[6]);
      var ev = e.event();
      if (ev.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS) {
        for (var o : ev.getOffers().getOffersList()) {
          r[0] += (long) o.getResourcesList().stream().filter(x -> x.getName().equals("cpus"))
              .mapToDouble(x -> x.getScalar().getValue()).sum();
        }
      } else if (ev.getType() == org.apache.mesos.v1.scheduler.Protos.Event.Type.UPDATE) {
        r[2]++;
        if (ev.getUpdate().getStatus().getState() == org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED) {
          r[3]++;
        }
      }
    }
    for (ReceivedCall c : calls) {
      if (c.at().isBefore(start)) {
        continue;
      }
      long[] r = rows.computeIfAbsent(Duration.between(start, c.at()).toMillis() / 1000, k -> new long[6]);
      Call.Type type = c.call().map(Call::getType).orElse(null);
      if (type == Call.Type.ACCEPT) {
        r[1] += c.call().get().getAccept().getOperationsList().stream()
            .mapToLong(o -> o.getLaunch().getTaskInfosCount()).sum();
      } else if (type == Call.Type.ACKNOWLEDGE) {
        r[4]++;
      } else {
        r[5]++;
      }
    }
    System.out.println("  second | cpus offered | tasks launched | updates sent | FINISHED sent | ACKs | other calls");
    rows.forEach((sec, r) -> System.out.printf(Locale.ROOT, "  %6d | %12d | %14d | %12d | %13d | %5d | %d%n", sec,
        r[0], r[1], r[2], r[3], r[4], r[5]));
  }

  static String table(Params p, List<Result> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "## Cluster makespan on the Mesos test master%n%n"
            + "%d agents x %d cpus = %d slots; %d tasks of %d ms (cpus 1); offers every %d ms; step delay %d ms; "
            + "%s refuse filters.%n%n", p.agents(), p.cpus(), p.slots(), p.tasks(), p.durationMs(), p.allocationMs(),
        p.stepMs(), p.agentFilters() ? "whole-agent (legacy test master)" : "resource-superset (as the real allocator)"));
    sb.append("| approach | finished | makespan (s) | ratio to ideal | ratio to offer-cycle bound | wall (s) "
        + "| ACCEPT calls | tasks per ACCEPT (max) | DECLINE calls | ACKNOWLEDGE calls | violations |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    sb.append(String.format(Locale.ROOT, "| ideal (tasks x duration / slots) | | %.1f | 1.00 | | | | | | | |%n",
        p.idealS()));
    sb.append(String.format(Locale.ROOT, "| offer-cycle bound | | %.1f | %.2f | 1.00 | | | | | | |%n",
        p.offerCycleBoundS(), p.offerCycleBoundS() / p.idealS()));
    for (Result r : results) {
      String name = r.approach().equals("runner") ? "runner (JobScheduler + MesosCluster)"
          : "seed (one task per offer, default 5 s filter)";
      sb.append(String.format(Locale.ROOT, "| %s | %d/%d | %.1f | %.2f | %.2f | %.1f | %d | %d | %d | %d | %s |%n",
          name, r.finished(), p.tasks(), r.makespanS(), r.makespanS() / p.idealS(),
          r.makespanS() / p.offerCycleBoundS(), r.wallS(), r.accepts(), r.maxTasksPerAccept(), r.declines(),
          r.acks(), r.violations().isEmpty() ? "none" : r.violations().toString()));
    }
    sb.append(String.format(Locale.ROOT, "%nMakespan: first OFFERS event to last TASK_FINISHED update, on the master. "
        + "Offer-cycle bound: ceil(tasks / slots) rounds, a slot refilled only at an allocation tick after its task "
        + "ended.%n"));
    return sb.toString();
  }

}
