package io.mesosrunner.cli;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.nio.file.Path;
import io.mesosrunner.cluster.mesos.MasterAddress;
import io.mesosrunner.cluster.mesos.MasterTasks;
import io.mesosrunner.cluster.mesos.MesosConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code runner status JOBFILE}: the state of the job's latest run, from its journal. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Print the state of the job's latest run from its journal (read-only; safe while it runs).",
        "With --master (or MESOS_MASTER), also what the master says of the run's tasks."})
final class StatusCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Mixin ClusterOptions where;

  private final CliContext ctx;

  /** Asks the master (read-only) about the run's framework; exit 3 when it cannot be asked. */
  private int fromMaster(RunState run) {
    if (run.frameworkId() == null) {
      ctx.out().println("on the master: the run never registered a framework");
      return ExitCode.OK;
    }
    try {
      MesosConfig config = where.mesosConfig(MasterAddress.parse(where.masterUrl(ctx)), "status", "*", null, ctx).build();
      List<MasterTasks.Task> tasks = MasterTasks.of(config, run.frameworkId());
      Map<String, Long> byState = new TreeMap<>();
      for (MasterTasks.Task t : tasks) byState.merge(t.state(), 1L, Long::sum);
      ctx.out().println("on the master (framework " + run.frameworkId() + "): " + tasks.size() + " tasks"
          + (byState.isEmpty() ? "" : ", " + byState.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
              .collect(Collectors.joining(", "))));
      tasks.stream().filter(t -> !TERMINAL.contains(t.state())).limit(20)
          .forEach(t -> ctx.out().println("  " + t.id() + " " + t.state() + " on agent " + t.agentId()));
      return ExitCode.OK;
    } catch (IllegalArgumentException | ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (IOException e) {
      ctx.err().println("runner: cannot ask the master: " + e.getMessage());
      return ExitCode.CLUSTER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ExitCode.INTERRUPTED;
    }
  }

  private static final java.util.Set<String> TERMINAL = java.util.Set.of("TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
      "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN");

  StatusCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return ExitCode.USAGE;
    Path dir = where.stateDir(jobFile);
    try {
      Optional<RunState> state = JobStore.status(dir, loaded.job().name());
      if (state.isEmpty()) {
        ctx.out().println(loaded.job().name() + ": no run recorded in " + dir);
        return ExitCode.OK;
      }
      String text = state.get().describe();
      ctx.out().print(text.endsWith("\n") ? text : text + "\n");
      if (!state.get().started().fileSha256().equals(loaded.sha256())) {
        ctx.out().println("note: " + jobFile + " changed since this run began");
      }
      return where.masterUrl(ctx) == null ? ExitCode.OK : fromMaster(state.get());
    } catch (IOException e) {
      ctx.err().println("runner: cannot read the run journal in " + dir + ": " + e.getMessage());
      return ExitCode.USAGE;
    }
  }
}
