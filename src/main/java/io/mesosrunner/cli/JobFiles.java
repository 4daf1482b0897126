package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.JobError;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads job files for the commands: the job package parses bytes, this class owns the file
 * system side (missing, unreadable and oversized files) and prints errors the way the CLI
 * promises, {@code file:line:col: message}.
 */
final class JobFiles {

  /** A loaded job (or pipeline) and the hash of the bytes it came from. */
  record Loaded(Pipeline pipeline, String sha256, String text) {
    /** The job, or a pipeline's top-level view (its name, role, deadline, every step's instances). */
    Job job() {
      return pipeline.summary();
    }
  }

  private JobFiles() {}

  /** The job, or null after printing every error of the file to stderr. */
  static Loaded load(Path file, CliContext ctx) {
    try {
      byte[] content = read(file);
      return parse(file.toString(), content, ctx);
    } catch (JobFileException e) {
      for (JobError error : e.errors()) ctx.err().println(error);
      return null;
    }
  }

  /** The job in {@code content} (named {@code name} in messages), or null after printing its errors. */
  static Loaded parse(String name, byte[] content, CliContext ctx) {
    try {
      Pipeline pipeline = new JobLoader(ctx.env()).parsePipeline(name, content);
      return new Loaded(pipeline, RunFiles.sha256(content), new String(content, StandardCharsets.UTF_8));
    } catch (JobFileException e) {
      for (JobError error : e.errors()) ctx.err().println(error);
      return null;
    }
  }

  /**
   * Reads and parses one job file.
   *
   * @param file read as given; errors name it exactly as given
   * @throws JobFileException with every error, when the file cannot be read or is not a valid job
   */
  static Job parse(Path file, JobLoader loader) throws JobFileException {
    return loader.parse(file.toString(), read(file));
  }

  /** The file's bytes, read once; a file over the size limit is refused without reading it. */
  static byte[] read(Path file) throws JobFileException {
    String name = file.toString();
    try {
      if (Files.isRegularFile(file) && Files.size(file) > JobLoader.MAX_BYTES) {
        throw single(name, "file is too large (" + Files.size(file) + " bytes; a job file may have at most "
            + JobLoader.MAX_BYTES + ")");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw single(name, "no such file" + nearName(file));
    } catch (AccessDeniedException e) {
      throw single(name, "permission denied");
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
      throw single(name, "cannot read file: " + message);
    }
  }

  /** {@code " (did you mean dir/hello.yaml?)"} when a file beside the missing one has a near name; else nothing. */
  private static String nearName(Path missing) {
    Path name = missing.getFileName();
    if (name == null) return "";
    Path dir = missing.getParent() == null ? Path.of(".") : missing.getParent();
    List<String> siblings;
    try (var files = Files.list(dir)) {
      siblings = files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
    } catch (IOException | RuntimeException e) {
      return "";
    }
    return Typos.closest(name.toString(), siblings)
        .map(near -> " (did you mean " + (missing.getParent() == null ? Path.of(near) : dir.resolve(near)) + "?)")
        .orElse("");
  }

  private static JobFileException single(String fileName, String message) {
    return new JobFileException(List.of(new JobError(fileName, 1, 1, message)));
  }
}
