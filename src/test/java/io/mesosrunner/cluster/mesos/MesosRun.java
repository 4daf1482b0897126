package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.InstanceState;
import io.mesosrunner.run.JobRun;
import io.mesosrunner.schedule.JobScheduler;
import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.schedule.RunInfo;
import io.mesosrunner.cluster.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One whole run of the runner's scheduler and Mesos adapter against a test master, on a thread
 * of its own, as the CLI would do it but with test-friendly timings.
 */
final class MesosRun implements AutoCloseable {

  final JobScheduler scheduler;
  final MesosCluster cluster;
  final JobRun run;
  final List<String> output = new CopyOnWriteArrayList<>();
  /** The latest progress the run reported (its live line), or null. */
  volatile Progress latestProgress;
  private final CompletableFuture<Outcome> outcome;

  private MesosRun(Job job, MesosConfig config) {
    this(job, config, Clock.systemUTC());
  }

  private MesosRun(Job job, MesosConfig config, Clock clock) {
    cluster = new MesosCluster(config);
    scheduler = new JobScheduler(job, new RunInfo("e2e1", "job.yaml", "00", null), clock);
    // On a fake clock, progress after every event: the clock may not move for the observer's interval.
    Duration progressEvery = clock.equals(Clock.systemUTC()) ? Duration.ofSeconds(1) : Duration.ZERO;
    run = new JobRun(scheduler, cluster, clock, Duration.ofMillis(20), progressEvery,
        new JobRun.Observer() {
          @Override
          public void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end) {
            output.add("[" + task.tag() + "] " + new String(line, java.nio.charset.StandardCharsets.UTF_8));
          }

          @Override
          public void onProgress(Progress progress) {
            latestProgress = progress;
          }

          @Override
          public void onAttemptEnded(io.mesosrunner.schedule.AttemptEnded ended) {}
        });
    outcome = CompletableFuture.supplyAsync(run::run);
  }

  /** Starts a run of {@code yaml} against {@code master}. */
  static MesosRun start(TestMaster master, String yaml) {
    return start(master, yaml, b -> b);
  }

  static MesosRun start(TestMaster master, String yaml, UnaryOperator<MesosConfig.Builder> tweak) {
    return new MesosRun(job(yaml), tweak.apply(fastConfig(master.uri().toString())).build());
  }

  /**
   * Starts a run of {@code job} against {@code master} whose scheduler reads {@code clock} (a fake
   * clock lets a test pass a grace or a timeout without waiting for it).
   */
  static MesosRun start(TestMaster master, Job job, Clock clock, UnaryOperator<MesosConfig.Builder> tweak) {
    return new MesosRun(job, tweak.apply(fastConfig(master.uri().toString())).build(), clock);
  }

  /** Starts a run against a master URL that may not answer. */
  static MesosRun startAt(String masterUrl, String yaml, UnaryOperator<MesosConfig.Builder> tweak) {
    return new MesosRun(job(yaml), tweak.apply(fastConfig(masterUrl)).build());
  }

  static MesosConfig.Builder fastConfig(String master) {
    return MesosConfig.builder(MasterAddress.parse(master), "e2e")
        .reconnectMin(Duration.ofMillis(50))
        .reconnectMax(Duration.ofMillis(300))
        .maxReconnectAttempts(20)
        .heartbeatMissFactor(3)
        .outputPollInterval(Duration.ofMillis(100))
        .outputLinger(Duration.ofMillis(300));
  }

  static Job job(String yaml) {
    try {
      return new JobLoader(Map.of()).parse("job.yaml", yaml.getBytes(StandardCharsets.UTF_8));
    } catch (JobFileException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  Outcome await() {
    return await(Duration.ofSeconds(60));
  }

  /** Waits at most {@code timeout} for the run to end. */
  Outcome await(Duration timeout) {
    try {
      return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("the run did not end: " + scheduler.progress(), e);
    }
  }

  long completedInstances() {
    return scheduler.instances().stream().filter(i -> i.state() == InstanceState.DONE).count();
  }

  List<InstanceRecord> instances() {
    return scheduler.instances();
  }

  /** The instance index of a task id {@code <job>.<instance>.<attempt>.<run>}. */
  static int instanceOf(String taskId) {
    String[] parts = taskId.split("\\.");
    return Integer.parseInt(parts[parts.length - 3]);
  }

  @Override
  public void close() {
    if (!outcome.isDone()) {
      run.interrupt("test ended");
      try {
        outcome.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the cluster is closed below either way
      }
    }
    cluster.close();
  }
}
