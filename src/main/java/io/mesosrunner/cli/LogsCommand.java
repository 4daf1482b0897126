package io.mesosrunner.cli;

import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.cluster.ClusterKind;
import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner logs JOB [INSTANCE]}: the output of a run's tasks, read from where the tasks wrote
 * it: the local cluster's sandbox files, or a Mesos agent's {@code /files/read} while the agent
 * keeps the sandbox. The run's journal says which task ran each attempt, on which agent, and
 * whether it has ended (which {@code -f} waits for). Bytes are passed on as the task wrote them.
 *
 * <p>This class chooses what to print (which run, which attempts, read from where);
 * {@link TaskOutputPrinter} prints and follows it.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Print the output of a run's tasks (stdout, or stderr with --stderr).",
        "Without INSTANCE: every instance's latest attempt, lines tagged [job/i].",
        "With INSTANCE: that instance's output as written, untagged.",
        "JOB is the job file, the job's name or its state directory (.runner/NAME).",
        "Exit codes: 0 printed, 2 no such job, run, instance or attempt,",
        "3 the Mesos master or agent could not be asked."})
final class LogsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOB", description = "The job file, the job name or the job's state directory.")
  String job;

  @Parameters(index = "1..2", arity = "0..2", paramLabel = "[STEP] INSTANCE",
      description = "The instance index (0-based); for a pipeline, the step and optionally its instance.")
  List<String> selector = List.of();

  /** The run-wide instance index chosen, or null for every instance (of the step, when one is named). */
  private Integer instance;
  /** The chosen step's run-wide range, or null. */
  private io.mesosrunner.job.Step step;

  @Option(names = "--attempt", paramLabel = "N", description = "The attempt (1 is the first launch). Default: the latest.")
  Integer attempt;

  @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the task(s) end.")
  boolean follow;

  @Option(names = "--stderr", description = "Print the tasks' stderr instead of their stdout.")
  boolean stderr;

  @Option(names = "--run", paramLabel = "ID", description = "The run (its id, as status prints it). Default: the latest.")
  String runId;

  @Mixin StateDirOption state;

  @Mixin MasterAccessOptions access;

  private final CliContext ctx;

  LogsCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** A user-facing problem with its exit code. */
  static final class Problem extends Exception {
    final int exitCode;

    Problem(int exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    try {
      JobTarget target = JobTarget.resolve(job, state, ctx);
      RunState run = findRun(target);
      io.mesosrunner.job.Pipeline pipeline = pipelineOf(run);
      select(pipeline, target);
      List<RunState.Attempt> chosen = choose(run, target);
      try (ClusterAdmin admin = adminOf(run, target)) {
        return new TaskOutputPrinter(ctx, target, run, admin, follow, stderr ? "stderr" : "stdout", instance == null)
            .labelledBy(pipeline == null || pipeline.single() ? null : pipeline).print(chosen);
      }
    } catch (JobTarget.NotFoundException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    } catch (Problem e) {
      ctx.err().println("runner: " + e.getMessage());
      return e.exitCode;
    }
  }

  /** The run's steps, from the job text it recorded; null when that no longer loads. */
  private io.mesosrunner.job.Pipeline pipelineOf(RunState run) {
    String text = run.started().jobText();
    if (text == null) return null;
    try {
      io.mesosrunner.job.Pipeline p = new io.mesosrunner.job.JobLoader(ctx.env())
          .parsePipeline(job, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return p.instances() == run.instances().size() ? p : null;
    } catch (io.mesosrunner.job.JobFileException e) {
      return null;
    }
  }

  /** Reads {@code INSTANCE} or {@code STEP [INSTANCE]} into a run-wide index or a step's range. */
  private void select(io.mesosrunner.job.Pipeline pipeline, JobTarget target) throws Problem {
    if (selector.isEmpty()) return;
    String first = selector.get(0);
    boolean isPipeline = pipeline != null && !pipeline.single();
    if (!isPipeline || first.matches("-?\\d+")) {
      if (selector.size() > 1 || !first.matches("-?\\d+")) {
        throw new Problem(ExitCode.USAGE, target.jobName() + (isPipeline ? "" : " is a single job:") + " give an instance"
            + " index" + (isPipeline ? " after a step name: runner logs " + target.jobName() + " STEP [INSTANCE]" : ", not " + String.join(" ", selector)));
      }
      if (isPipeline) {
        throw new Problem(ExitCode.USAGE, target.jobName() + " is a pipeline: name the step, as in runner logs "
            + target.jobName() + " " + pipeline.steps().get(0).name() + " " + first);
      }
      instance = Integer.parseInt(first);
      return;
    }
    step = pipeline.step(first);
    if (step == null) {
      String names = pipeline.steps().stream().map(io.mesosrunner.job.Step::name).collect(Collectors.joining(", "));
      throw new Problem(ExitCode.USAGE, target.jobName() + " has no step '" + first + "'"
          + io.mesosrunner.job.DidYouMean.suggest(first, pipeline.steps().stream().map(io.mesosrunner.job.Step::name).toList())
              .map(g -> " (did you mean '" + g + "'?)").orElse("; its steps are " + names));
    }
    if (selector.size() == 2) {
      int local;
      try {
        local = Integer.parseInt(selector.get(1));
      } catch (NumberFormatException e) {
        throw new Problem(ExitCode.USAGE, "the instance must be a number (got '" + selector.get(1) + "')");
      }
      if (local < 0 || local >= step.size()) {
        throw new Problem(ExitCode.USAGE, "step " + step.name() + " of " + target.jobName() + " has no instance " + local
            + "; it has instances 0 to " + (step.size() - 1));
      }
      instance = step.first() + local;
    }
  }

  /** The run asked for: the latest, or {@code --run ID} among the journals kept. */
  private RunState findRun(JobTarget target) throws Problem {
    Path dir = JobStore.jobDir(target.stateDir(), target.jobName());
    List<RunState> runs = new ArrayList<>();
    for (String file : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      RunState r = readRun(dir, file);
      if (r != null) runs.add(r);
    }
    if (runs.isEmpty()) throw new Problem(ExitCode.USAGE, "no run of " + target.jobName() + " is recorded in " + dir);
    if (runId == null) return runs.get(0);
    for (RunState r : runs) {
      if (r.runId().equals(runId)) return r;
    }
    throw new Problem(ExitCode.USAGE, "no run " + runId + " of " + target.jobName() + " is kept; the runs kept are "
        + runs.stream().map(RunState::runId).collect(Collectors.joining(", ")));
  }

  static RunState readRun(Path dir, String file) throws Problem {
    List<JournalRecord> records;
    try {
      records = RunJournal.read(dir, file).records();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new Problem(ExitCode.USAGE, "cannot read " + dir.resolve(file) + ": " + e.getMessage());
    }
    if (records.isEmpty()) return null;
    try {
      return RunState.fold(records);
    } catch (IllegalArgumentException e) {
      throw new Problem(ExitCode.USAGE, dir.resolve(file) + ": its records do not describe one run: " + e.getMessage());
    }
  }

  /** The attempts to print, in instance order. */
  private List<RunState.Attempt> choose(RunState run, JobTarget target) throws Problem {
    String runName = "run " + run.runId() + " of " + target.jobName();
    List<RunState.Instance> instances = run.instances();
    if (instance != null) {
      if (instance < 0 || instance >= instances.size()) {
        throw new Problem(ExitCode.USAGE, runName + " has no instance " + instance + "; it has instances 0 to "
            + (instances.size() - 1));
      }
      instances = List.of(instances.get(instance));
    } else if (step != null) {
      instances = instances.subList(step.first(), Math.min(instances.size(), step.first() + step.size()));
    }
    List<RunState.Attempt> chosen = new ArrayList<>();
    for (RunState.Instance i : instances) {
      RunState.Attempt a = attempt == null ? i.lastAttempt() : attemptOf(i, attempt);
      if (a != null) {
        chosen.add(a);
      } else if (instance != null || attempt != null) {
        String tried = i.attempts().stream().map(x -> Integer.toString(x.attempt())).collect(Collectors.joining(", "));
        throw new Problem(ExitCode.USAGE, runName + ": instance " + i.index()
            + (attempt == null ? " was never launched" : " has no attempt " + attempt)
            + (tried.isEmpty() ? (i.carriedFrom() != null ? " (it completed in run " + i.carriedFrom() + ")" : "")
                : "; its attempts are " + tried));
      }
    }
    if (chosen.isEmpty()) throw new Problem(ExitCode.USAGE, runName + " launched no task");
    return chosen;
  }

  static RunState.Attempt attemptOf(RunState.Instance i, int n) {
    for (RunState.Attempt a : i.attempts()) {
      if (a.attempt() == n) return a;
    }
    return null;
  }

  /** The admin of the cluster the run recorded, which reads its tasks' files. */
  private ClusterAdmin adminOf(RunState run, JobTarget target) throws Problem {
    ClusterAdmin admin;
    try {
      admin = ClusterWiring.adminOf(run, target.stateDir(), access, "logs", ctx);
    } catch (ClusterWiring.UnknownMasterException e) {
      throw new Problem(ExitCode.USAGE, "the run was recorded on " + e.master + ", which names no master: " + e.getMessage());
    } catch (ClusterOptions.BadOptionException e) {
      throw new Problem(ExitCode.USAGE, e.getMessage());
    }
    if (run.started().clusterKind() instanceof ClusterKind.Mesos && run.frameworkId() == null) {
      admin.close();
      throw new Problem(ExitCode.USAGE, "run " + run.runId() + " never registered a framework");
    }
    return admin;
  }
}
