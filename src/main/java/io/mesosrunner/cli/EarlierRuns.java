package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.local.LocalCluster;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.state.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Stopping what an earlier run of a job left behind (for {@code --restart} and {@code runner kill}). */
final class EarlierRuns {

  static final String LOCAL = "local";

  private EarlierRuns() {}

  /** The sandbox directory of an earlier local run's task. */
  static Path sandbox(Path stateDir, RunState run, String taskId) {
    return stateDir.resolve("runs").resolve(run.started().jobName() + "-" + run.runId()).resolve(taskId);
  }

  /** Kills what an earlier local run left running; returns how many task processes were killed. */
  static int killLocal(Path stateDir, RunState run) {
    List<Path> sandboxes = run.unsettled().stream().map(a -> sandbox(stateDir, run, a.taskId())).toList();
    return LocalCluster.killLeftovers(sandboxes);
  }

  /**
   * Tears down an earlier run's framework on Mesos (which kills its tasks).
   *
   * @return null when done, else why not
   */
  static String teardownMesos(RunState run, MesosConfig.Builder config) throws InterruptedException {
    if (run.frameworkId() == null) return null; // it never registered: nothing of it runs
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    try (MesosCluster cluster = new MesosCluster(config.frameworkId(run.frameworkId()).tailOutput(false).build())) {
      cluster.start(ClusterListener.eventsInto(events));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < end) {
        Event e = events.poll(100, TimeUnit.MILLISECONDS);
        if (e instanceof Event.ClusterFailed f) return f.reason();
        if (e instanceof Event.OffersReceived o) {
          cluster.execute(new Action.Decline(o.offers().stream().map(x -> x.id()).toList(), Duration.ofMinutes(1)));
        }
        if (e instanceof Event.Subscribed) {
          cluster.execute(new Action.Teardown());
          return null;
        }
      }
      return "the master did not answer within 60s";
    }
  }

  /** A Mesos configuration for the earlier run's master, from the options of this command. */
  static MesosConfig.Builder mesosConfig(RunState run, ClusterOptions where, CliContext ctx)
      throws ClusterOptions.BadOptionException {
    MasterAddress master;
    try {
      master = MasterAddress.parse(run.started().cluster());
    } catch (IllegalArgumentException e) {
      throw new ClusterOptions.BadOptionException("the earlier run's master " + run.started().cluster() + ": " + e.getMessage());
    }
    return where.mesosConfig(master, "runner:" + run.started().jobName(), "*", null, ctx);
  }
}
