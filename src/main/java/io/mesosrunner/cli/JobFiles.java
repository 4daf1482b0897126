package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.JobError;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a job file for a command, printing its errors the way the CLI promises. */
final class JobFiles {

  /** A loaded job and the hash of the bytes it came from. */
  record Loaded(Job job, String sha256, String text) {}

  private JobFiles() {}

  /** The job, or null after printing every error of the file to stderr. */
  static Loaded load(Path file, CliContext ctx) {
    JobLoader loader = new JobLoader(ctx.env());
    try {
      byte[] content = readSmallFile(file);
      if (content == null) {
        loader.load(file); // reports why the file cannot be read, or that it is too large
        throw new IllegalStateException("the loader accepted " + file + " but it cannot be read");
      }
      return parse(file.toString(), content, ctx);
    } catch (JobFileException e) {
      for (JobError error : e.errors()) ctx.err().println(error);
      return null;
    }
  }

  /** The job in {@code content} (named {@code name} in messages), or null after printing its errors. */
  static Loaded parse(String name, byte[] content, CliContext ctx) {
    try {
      Job job = new JobLoader(ctx.env()).parse(name, content);
      return new Loaded(job, RunFiles.sha256(content), new String(content, java.nio.charset.StandardCharsets.UTF_8));
    } catch (JobFileException e) {
      for (JobError error : e.errors()) ctx.err().println(error);
      return null;
    }
  }

  /** The file's bytes, read once, or null when it is missing, unreadable or over the size limit. */
  private static byte[] readSmallFile(Path file) {
    try {
      if (Files.isRegularFile(file) && Files.size(file) <= JobLoader.MAX_BYTES) return Files.readAllBytes(file);
    } catch (IOException e) {
      // the loader reports the problem with the file's name
    }
    return null;
  }
}
