package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.cluster.ClusterKind;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import io.mesosrunner.state.RunState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What becomes of an earlier, unfinished run of a job: whether a new command can carry it on,
 * and stopping what it left behind (for {@code --restart}, {@code runner kill} and before a
 * local run is resumed), through the {@link ClusterAdmin} of the cluster the run recorded.
 * Whatever the earlier run recorded, stopping it ends: when its master cannot be parsed or
 * reached, the user is told what may still run there, and the run is forgotten.
 */
final class EarlierRuns {

  private EarlierRuns() {}

  /** Whether the run launched no task at all (so nothing of it can run, and there is nothing to carry on). */
  static boolean launchedNothing(RunState run) {
    return run.instances().stream().allMatch(i -> i.attempts().isEmpty() && !i.completed() && !i.failed());
  }

  /** Why a run of {@code now} on {@code cluster} cannot carry the earlier run on, or null. */
  static String resumeBlocker(RunState earlier, JobFiles.Loaded now, JobSource source, ClusterKind cluster, CliContext ctx) {
    if (!ClusterWiring.sameSpelling(earlier.started().clusterKind()).equals(cluster)) {
      return "it ran on " + earlier.started().cluster() + ", this run would use " + cluster.recorded();
    }
    String owner = earlier.started().jobFile();
    if (!source.isRecordedAs(owner)) {
      return "it was started from " + owner + ", not " + source.label() + " (the same job name " + now.job().name()
          + "; give this file its own --state-dir to run both)";
    }
    if (earlier.started().fileSha256().equals(now.sha256())) return null;
    StringBuilder why = new StringBuilder("the job file changed since it began");
    String before = earlier.started().jobText();
    if (before != null) {
      try {
        Job old = new JobLoader(ctx.env()).parse(source.label(), before.getBytes(StandardCharsets.UTF_8));
        List<String> changes = JobDiff.changes(old, now.job());
        if (!changes.isEmpty()) why.append(" (").append(String.join("; ", changes)).append(')');
      } catch (JobFileException e) {
        // the old text no longer loads (e.g. an env variable is gone): the hashes say enough
      }
    }
    return why.toString();
  }

  /** The run's tasks not known to have ended, as the admin port names them. */
  static List<ClusterAdmin.RecordedTask> unsettled(RunState run) {
    return run.unsettled().stream().map(EarlierRuns::recorded).toList();
  }

  /** An attempt as the admin port names it. */
  static ClusterAdmin.RecordedTask recorded(RunState.Attempt a) {
    return new ClusterAdmin.RecordedTask(a.taskId(), a.instance(), a.attempt(), a.agentId(), a.hostname(), a.settled());
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
    ClusterKind cluster = run.started().clusterKind();
    if (cluster instanceof ClusterKind.Mesos && run.frameworkId() == null) {
      return "run " + run.runId() + " never registered a framework on " + cluster.recorded() + "; nothing of it runs there";
    }
    ClusterAdmin admin;
    try {
      admin = ClusterWiring.adminOf(run, stateDir, access, "runner:" + run.started().jobName(), ctx);
    } catch (ClusterWiring.UnknownMasterException e) {
      forget(run, "its master '" + e.master + "' cannot be used (" + e.getMessage() + ")", null, ctx);
      return "gave up run " + run.runId();
    }
    try (admin) {
      ClusterAdmin.TearDown done = admin.tearDown(unsettled(run));
      if (done instanceof ClusterAdmin.TearDown.NotDone notDone) {
        forget(run, notDone.why(), notDone.byHand(), ctx);
        return "gave up run " + run.runId();
      }
      return ((ClusterAdmin.TearDown.Done) done).what();
    }
  }

  /** Says on stderr what the run may have left on its cluster, before it is forgotten. */
  private static void forget(RunState run, String why, String byHand, CliContext ctx) {
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
    if (byHand != null) ctx.err().println("runner: once the master answers, stop them with: " + byHand);
  }
}
