package io.mesosrunner.cli;

import io.mesosrunner.state.JobStore;
import io.mesosrunner.state.RunJournal;
import io.mesosrunner.state.RunState;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The job a {@code status} or {@code kill} command names: by its job file (as it is now, moved
 * away, or no longer valid), by its job name, or by its state directory. Runs are found through
 * what their journals recorded (the job file's path and text), so these commands never depend on
 * the job file as it is now.
 *
 * @param stateDir   the state directory holding the job's state
 * @param jobName    the job's name (its directory under {@code stateDir})
 * @param source     the job file named on the command line, or null when a name or a directory was
 * @param currentSha the sha-256 of that file as it is now, or null when it is gone or not a file
 */
record JobTarget(Path stateDir, String jobName, JobSource source, String currentSha) {

  /** The argument names no job the runner knows of; the message is for the user (exit 2). */
  static final class NotFoundException extends Exception {
    NotFoundException(String message) {
      super(message);
    }
  }

  /** Finds the job {@code argument} names. Prints a job file's errors only when nothing recorded it. */
  /**
   * {@link #resolve}, or null after saying on stderr why {@code argument} names no job (the
   * command then exits {@link ExitCode#USAGE}).
   */
  static JobTarget resolveOrSay(String argument, StateDirOption state, CliContext ctx) {
    try {
      return resolve(argument, state, ctx);
    } catch (NotFoundException e) {
      ctx.err().println("runner: " + e.getMessage());
      return null;
    }
  }

  static JobTarget resolve(String argument, StateDirOption state, CliContext ctx) throws NotFoundException {
    if (argument.equals("-")) {
      JobSource stdin = JobSource.of(Path.of(argument));
      JobFiles.Loaded loaded = stdin.load(ctx);
      if (loaded == null) throw new NotFoundException("the job file on stdin does not load (see above)");
      return new JobTarget(state.forJobFile(null, ctx), loaded.job().name(), stdin, loaded.sha256());
    }
    Path path = Path.of(argument);
    if (Files.isDirectory(path)) return inDirectory(path);
    if (Files.isRegularFile(path)) return ofFile(path, state, ctx);
    Path stateDir = state.forJobFile(path, ctx);
    Optional<RunState> moved = recordedFrom(stateDir, new JobSource(path));
    if (moved.isPresent()) return new JobTarget(stateDir, moved.get().started().jobName(), new JobSource(path), null);
    if (argument.matches("[A-Za-z0-9_.-]+") && !argument.matches("\\.+")) {
      Path named = state.explicit(ctx) != null ? state.explicit(ctx) : state.forJobFile(null, ctx);
      if (isJobDir(named.resolve(argument))) return new JobTarget(named, argument, null, null);
      throw new NotFoundException("no job file, job name or state directory called " + argument + " (no file "
          + path.toAbsolutePath().normalize() + ", no job " + argument + " in " + named + ")");
    }
    throw new NotFoundException("no such file " + argument + ", and no run recorded from it in " + stateDir);
  }

  private static JobTarget ofFile(Path file, StateDirOption state, CliContext ctx) throws NotFoundException {
    JobSource source = new JobSource(file);
    Path stateDir = state.forJobFile(file, ctx);
    String sha = null;
    try {
      sha = RunFiles.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      // unreadable now: the recorded run still says what it was
    }
    Optional<RunState> recorded = recordedFrom(stateDir, source);
    if (recorded.isPresent()) return new JobTarget(stateDir, recorded.get().started().jobName(), source, sha);
    JobFiles.Loaded loaded = source.load(ctx);
    if (loaded == null) {
      throw new NotFoundException("no run of " + file + " is recorded in " + stateDir + ", and the file does not load (see above)");
    }
    return new JobTarget(stateDir, loaded.job().name(), source, loaded.sha256());
  }

  /** A job's own state directory ({@code .runner/NAME}), or a state directory holding exactly one job. */
  private static JobTarget inDirectory(Path dir) throws NotFoundException {
    Path abs = dir.toAbsolutePath().normalize();
    if (isJobDir(abs) && abs.getParent() != null) return new JobTarget(abs.getParent(), abs.getFileName().toString(), null, null);
    List<String> jobs = jobsIn(abs);
    if (jobs.size() == 1) return new JobTarget(abs, jobs.get(0), null, null);
    if (jobs.isEmpty()) throw new NotFoundException(dir + " is neither a job's state directory nor holds one");
    throw new NotFoundException(dir + " holds the state of several jobs (" + String.join(", ", jobs)
        + "); name one, e.g. " + abs.resolve(jobs.get(0)));
  }

  private static boolean isJobDir(Path dir) {
    return Files.isRegularFile(dir.resolve(RunJournal.FILE_NAME)) || Files.isRegularFile(dir.resolve(StateLock.FILE_NAME));
  }

  /** The names of the jobs with state in {@code stateDir}. */
  static List<String> jobsIn(Path stateDir) {
    if (!Files.isDirectory(stateDir)) return List.of();
    try (Stream<Path> entries = Files.list(stateDir)) {
      return entries.filter(JobTarget::isJobDir).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The latest run in {@code stateDir} that {@code source} started: an unfinished one first, else
   * the newest. Journals that cannot be read are passed over.
   */
  static Optional<RunState> recordedFrom(Path stateDir, JobSource source) {
    List<RunState> runs = new ArrayList<>();
    for (String job : jobsIn(stateDir)) {
      try {
        JobStore.status(stateDir, job).filter(r -> source.isRecordedAs(r.started().jobFile())).ifPresent(runs::add);
      } catch (IOException | RuntimeException e) {
        // a damaged or foreign journal: not this file's run as far as we can tell
      }
    }
    return runs.stream().max(Comparator.<RunState, Boolean>comparing(r -> !r.ended())
        .thenComparingLong(r -> r.started().startedAtEpochMs()));
  }

  /** The job as messages name it: the file given, else the job's state directory. */
  String label() {
    return source != null ? source.label() : stateDir.resolve(jobName).toString();
  }
}
