package io.mesosrunner.bench;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.Step;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.schedule.SchedulerJournal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A 3-step pipeline (a -> b -> c, N tasks per step) on the Mesos test master against the same
 * tasks as three single-job runs one after another (each its own framework, as a script chaining
 * three runner commands would). Prints both makespans and, for the pipeline, the gap between
 * steps: the last completion of a step to the first launch of the step that needs it.
 *
 * <p>{@code bench/pipeline.sh [--tasks N] [--agents N] [--duration-ms N] [--allocation-ms N]}.
 */
public final class PipelineBench {

  private PipelineBench() {}

  public static void main(String[] args) throws Exception {
    int tasks = intArg(args, "--tasks", 1000);
    int agents = intArg(args, "--agents", 100);
    int durationMs = intArg(args, "--duration-ms", 500);
    int allocationMs = intArg(args, "--allocation-ms", 1000);
    for (int round = 0; round < intArg(args, "--rounds", 1); round++) {
      double pipeline = runPipeline(tasks, agents, durationMs, allocationMs);
      double singles = 0;
      for (String name : List.of("a", "b", "c")) singles += runSingle(name, tasks, agents, durationMs, allocationMs);
      System.out.printf(Locale.ROOT, "round %d: pipeline %.2f s, three single-job runs %.2f s, ratio %.2f%n", round,
          pipeline, singles, pipeline / singles);
    }
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) return Integer.parseInt(args[i + 1]);
    }
    return fallback;
  }

  private static TestMaster master(int agents, int durationMs, int allocationMs) {
    TestMaster master = TestMaster.builder().allocationInterval(Duration.ofMillis(allocationMs))
        .heartbeatInterval(Duration.ofSeconds(15)).stepDelay(Duration.ofMillis(5)).ackGrace(Duration.ofSeconds(5))
        .agentFilesServers(false).behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(durationMs)))
        .build().start();
    for (int i = 0; i < agents; i++) {
      master.addAgent(AgentSpec.standard().withResources(4, 32L * 1024, 100_000).withPorts().withHostname("agent" + i));
    }
    return master;
  }

  private static double runPipeline(int tasks, int agents, int durationMs, int allocationMs) throws Exception {
    String yaml = "name: bench\ncommand: \"true\"\ncpus: 1\nmem: 32\ninstances: " + tasks
        + "\nsteps:\n  a: {}\n  b: {needs: [a]}\n  c: {needs: [b]}\n";
    Pipeline p = new JobLoader(Map.of()).parsePipeline("bench.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    try (TestMaster master = master(agents, durationMs, allocationMs)) {
      long t0 = System.nanoTime();
      JobScheduler s = run(p, master, "pipeline");
      double wall = (System.nanoTime() - t0) / 1e9;
      List<InstanceRecord> all = s.instances();
      for (int i = 0; i + 1 < p.steps().size(); i++) {
        Step from = p.steps().get(i);
        Step to = p.steps().get(i + 1);
        Instant lastEnd = Instant.MIN;
        for (InstanceRecord r : all.subList(from.first(), from.first() + from.size())) {
          for (AttemptRecord a : r.attempts()) if (a.endedAt() != null && a.endedAt().isAfter(lastEnd)) lastEnd = a.endedAt();
        }
        Instant firstStart = Instant.MAX;
        for (InstanceRecord r : all.subList(to.first(), to.first() + to.size())) {
          for (AttemptRecord a : r.attempts()) if (a.startedAt().isBefore(firstStart)) firstStart = a.startedAt();
        }
        System.out.printf(Locale.ROOT, "  gap %s -> %s: %d ms (offer round %d ms)%n", from.name(), to.name(),
            Duration.between(lastEnd, firstStart).toMillis(), allocationMs);
      }
      System.out.printf(Locale.ROOT, "  pipeline: %s in %.2f s%n", s.outcome(), wall);
      return wall;
    }
  }

  private static double runSingle(String name, int tasks, int agents, int durationMs, int allocationMs)
      throws Exception {
    String yaml = "name: " + name + "\ncommand: \"true\"\ncpus: 1\nmem: 32\ninstances: " + tasks + "\n";
    Pipeline p = new JobLoader(Map.of()).parsePipeline(name + ".yaml", yaml.getBytes(StandardCharsets.UTF_8));
    try (TestMaster master = master(agents, durationMs, allocationMs)) {
      long t0 = System.nanoTime();
      JobScheduler s = run(p, master, name);
      double wall = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "  single job %s: %s in %.2f s%n", name, s.outcome(), wall);
      return wall;
    }
  }

  private static JobScheduler run(Pipeline p, TestMaster master, String framework) throws Exception {
    JobScheduler scheduler = new JobScheduler(p, new RunInfo("bench", "bench.yaml", "00", null), Clock.systemUTC(),
        JobScheduler.DEFAULT_MAX_LOSSES, SchedulerJournal.NONE, null);
    MesosConfig config = MesosConfig.builder(MasterAddress.parse(master.uri().toString()), "bench-" + framework)
        .tailOutput(false).reconnectMin(Duration.ofMillis(50)).reconnectMax(Duration.ofMillis(500)).build();
    try (MesosCluster cluster = new MesosCluster(config)) {
      JobRun run = new JobRun(scheduler, cluster, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(5),
          new JobRun.Observer() {
            @Override
            public void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end) {}

            @Override
            public void onProgress(Progress progress) {}

            @Override
            public void onAttemptEnded(io.mesosrunner.schedule.AttemptEnded ended) {}
          });
      Outcome outcome = run.run();
      if (outcome != Outcome.SUCCEEDED) throw new IllegalStateException(framework + " ended " + outcome);
      return scheduler;
    }
  }
}
