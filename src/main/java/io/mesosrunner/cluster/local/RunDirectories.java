package io.mesosrunner.cluster.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local sandboxes of a job's runs, one directory {@code <job>-<run id>} per run under a
 * {@code runs} directory, and how many of them are kept: at the start of a run, all but the
 * newest ones of that job are removed, so that a chatty job does not fill the disk run after
 * run.
 *
 * <p>Run ids are hexadecimal (a plan's are {@code plan} and hex digits), so the directories of
 * job {@code a} are never confused with those of a job {@code a-b}: what follows {@code a-} in
 * {@code a-b-1f2e3d4c} is not hexadecimal. Not thread-safe against another runner pruning the
 * same job at once (the job's state lock rules that out).
 */
public final class RunDirectories {

  /** Runs kept per job by default, the one starting included. */
  public static final int DEFAULT_KEEP = 5;

  private static final Logger LOG = LoggerFactory.getLogger(RunDirectories.class);

  private RunDirectories() {}

  /**
   * Removes the run directories of {@code jobName} in {@code runsDir} but the newest
   * {@code keep - 1} (by modification time) and {@code current}, the run starting now, which is
   * never removed. A directory that cannot be removed is logged and left.
   *
   * @param keep runs to keep, the current one included, &ge; 1
   * @return the directories removed
   */
  public static List<Path> prune(Path runsDir, String jobName, Path current, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep (" + keep + ") must be at least 1");
    }
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    Pattern mine = Pattern.compile(Pattern.quote(jobName) + "-(?:plan)?[0-9a-f]+");
    record Run(Path dir, FileTime modified) {}
    List<Run> runs = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runsDir)) {
      for (Path d : dirs) {
        if (mine.matcher(d.getFileName().toString()).matches() && Files.isDirectory(d)
            && !d.toAbsolutePath().normalize().equals(current.toAbsolutePath().normalize())) {
          runs.add(new Run(d, Files.getLastModifiedTime(d)));
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list the runs in {}: {}", runsDir, e.toString());
      return List.of();
    }
    runs.sort(Comparator.comparing(Run::modified).reversed());
    List<Path> removed = new ArrayList<>();
    for (Run r : runs.subList(Math.min(runs.size(), keep - 1), runs.size())) {
      try {
        deleteTree(r.dir());
        removed.add(r.dir());
      } catch (IOException e) {
        LOG.warn("cannot remove the old run directory {}: {}", r.dir(), e.toString());
      }
    }
    return removed;
  }

  private static void deleteTree(Path dir) throws IOException {
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
