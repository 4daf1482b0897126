package io.mesosrunner.cli;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.local.LocalCluster;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MesosCluster;
import io.mesosrunner.cluster.mesos.MesosConfig;
import io.mesosrunner.state.RunState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Stopping what an earlier run of a job left behind (for {@code --restart} and {@code runner
 * kill}). Whatever the earlier run recorded, stopping it ends: when its master cannot be parsed or
 * reached, the user is told what may still run there, and the run is forgotten.
 */
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

  /** Whether the run launched no task at all (so nothing of it can run, and there is nothing to carry on). */
  static boolean launchedNothing(RunState run) {
    return run.instances().stream().allMatch(i -> i.attempts().isEmpty() && !i.completed() && !i.failed());
  }

  /**
   * Stops what the earlier run left: kills its local task processes, or tears its framework down
   * on its master. Never fails because of what the run recorded: a master that cannot be parsed or
   * reached is reported on stderr with what may still run there, and the run is given up.
   *
   * @return what was done, one line for the user
   * @throws ClusterOptions.BadOptionException when this command's own options are wrong
   */
  static String stop(Path stateDir, RunState run, MasterAccessOptions access, CliContext ctx)
      throws ClusterOptions.BadOptionException, InterruptedException {
    String cluster = run.started().cluster();
    if (cluster.equals(LOCAL)) {
      int n = killLocal(stateDir, run);
      return "killed " + n + " task process" + (n == 1 ? "" : "es") + " left by run " + run.runId();
    }
    if (run.frameworkId() == null) {
      return "run " + run.runId() + " never registered a framework on " + cluster + "; nothing of it runs there";
    }
    MasterAddress master;
    try {
      master = MasterAddress.parse(cluster);
    } catch (IllegalArgumentException e) {
      forget(run, "its master '" + cluster + "' cannot be used (" + e.getMessage() + ")", null, ctx);
      return "gave up run " + run.runId();
    }
    MesosConfig.Builder config = access.mesosConfig(master, "runner:" + run.started().jobName(), "*", null, ctx);
    String failed = teardownMesos(run, config);
    if (failed != null) {
      forget(run, "cannot tear its framework down on " + cluster + " (" + failed + ")", master, ctx);
      return "gave up run " + run.runId();
    }
    return "tore down framework " + run.frameworkId() + " of run " + run.runId() + " on " + cluster;
  }

  /** Says on stderr what the run may have left on its cluster, before it is forgotten. */
  private static void forget(RunState run, String why, MasterAddress master, CliContext ctx) {
    List<RunState.Attempt> left = run.unsettled();
    ctx.err().println("runner: run " + run.runId() + ": " + why + ".");
    if (left.isEmpty()) {
      ctx.err().println("runner: none of its tasks was running when last recorded; forgetting framework "
          + run.frameworkId());
      return;
    }
    String ids = left.stream().limit(10).map(RunState.Attempt::taskId).collect(Collectors.joining(", "))
        + (left.size() > 10 ? " and " + (left.size() - 10) + " more" : "");
    ctx.err().println("runner: forgetting it; " + left.size() + " task" + (left.size() == 1 ? "" : "s")
        + " of framework " + run.frameworkId() + " may still run there: " + ids);
    if (master instanceof MasterAddress.Http http) {
      ctx.err().println("runner: once the master answers, stop them with: curl -X POST " + http.baseUri()
          + "/master/teardown -d frameworkId=" + run.frameworkId());
    }
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
}
