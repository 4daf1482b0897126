package io.mesosrunner.cli;

import io.mesosrunner.job.JobLoader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a command's job file comes from: a file, or stdin when the argument is {@code -}.
 *
 * @param file the job file, or null for stdin
 */
record JobSource(Path file) {

  /** How a job read from stdin is named in messages and in its run's journal. */
  static final String STDIN = "<stdin>";

  static JobSource of(Path argument) {
    return argument.toString().equals("-") ? new JobSource(null) : new JobSource(argument);
  }

  boolean isStdin() {
    return file == null;
  }

  /** The job file as messages name it. */
  String label() {
    return file == null ? STDIN : file.toString();
  }

  /**
   * What identifies the job file in a run's journal, so a run is only carried on from the file
   * that started it: the file's real path, or {@value #STDIN}.
   */
  String identity() {
    return file == null ? STDIN : identityOf(file);
  }

  /** Whether a journal's recorded job file is this one. Older journals recorded the path as typed. */
  boolean isRecordedAs(String recorded) {
    if (recorded.equals(STDIN)) return isStdin();
    return !isStdin() && identityOf(Path.of(recorded)).equals(identity());
  }

  static String identityOf(Path file) {
    try {
      return file.toRealPath().toString();
    } catch (IOException | SecurityException e) {
      return file.toAbsolutePath().normalize().toString();
    }
  }

  /** The commit of the git work tree holding the file, or null (always for stdin). */
  String gitCommit() {
    return file == null ? null : RunFiles.gitCommit(file);
  }

  /** The job, or null after printing every error of the file (or of stdin) to stderr. */
  JobFiles.Loaded load(CliContext ctx) {
    if (file != null) return JobFiles.load(file, ctx);
    byte[] content;
    try {
      content = ctx.in().readNBytes(JobLoader.MAX_BYTES + 1);
    } catch (IOException e) {
      ctx.err().println(STDIN + ": cannot read the job file from stdin: " + e.getMessage());
      return null;
    }
    if (content.length > JobLoader.MAX_BYTES) {
      ctx.err().println(STDIN + ": the job file is larger than " + JobLoader.MAX_BYTES + " bytes");
      return null;
    }
    return JobFiles.parse(STDIN, content, ctx);
  }
}
