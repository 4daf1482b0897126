package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.ClusterAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's side of {@link ClusterAdmin}, for one recorded run: its sandboxes are the
 * directories {@code <runDir>/<taskId>/}, each with the task's {@code stdout} and {@code stderr}
 * and the pid file of its process ({@link LocalCluster#PID_FILE}). A process counts as the task's
 * only while the process with that pid started when the file says, so a recycled pid is never
 * listed nor killed.
 */
public final class LocalRunAdmin implements ClusterAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(LocalRunAdmin.class);
  private static final int PAGE = 64 * 1024;

  private final Path runDir;
  private final String runId;

  /**
   * @param runDir the run's sandboxes, {@code <stateDir>/runs/<job>-<runId>}
   * @param runId  the run, as messages name it
   */
  public LocalRunAdmin(Path runDir, String runId) {
    this.runDir = runDir.toAbsolutePath().normalize();
    this.runId = runId;
  }

  @Override
  public byte[] readOutput(RecordedTask task, String fileName, long offset) throws IOException {
    Path file = runDir.resolve(task.taskId()).resolve(fileName);
    if (!Files.exists(file)) {
      // A task launched a moment ago may not have its files yet; a settled one never will.
      return task.settled() || !Files.isDirectory(runDir) ? null : new byte[0];
    }
    try (InputStream in = Files.newInputStream(file)) {
      in.skipNBytes(Math.min(offset, Files.size(file)));
      return in.readNBytes(PAGE);
    }
  }

  @Override
  public String whyNoOutput(RecordedTask task, String fileName) {
    Path dir = runDir.resolve(task.taskId());
    return "no " + fileName + " of " + task.taskId() + " (attempt " + task.attempt() + " of instance "
        + task.instance() + "): " + (Files.isDirectory(dir) ? dir + " has no " + fileName
            : "its sandbox " + dir + " is gone (removed, or the run's sandboxes were cleaned up)");
  }

  /** The run's task processes still running on this machine (a runner that was killed left them). */
  @Override
  public List<KnownTask> tasks() throws IOException {
    List<KnownTask> out = new ArrayList<>();
    if (!Files.isDirectory(runDir)) return out;
    try (DirectoryStream<Path> sandboxes = Files.newDirectoryStream(runDir, Files::isDirectory)) {
      for (Path sandbox : sandboxes) {
        if (leftover(sandbox).isPresent()) {
          out.add(new KnownTask(sandbox.getFileName().toString(), "TASK_RUNNING", LocalCluster.AGENT_ID, false));
        }
      }
    }
    return out;
  }

  /** Kills the processes (with their process groups) the run's runner left in the sandboxes of these tasks. */
  @Override
  public TearDown tearDown(List<RecordedTask> unsettled) {
    ProcessTrees trees = new ProcessTrees(new ProcessTrees.KillCommand());
    int killed = 0;
    for (RecordedTask task : unsettled) {
      Path sandbox = runDir.resolve(task.taskId());
      Optional<ProcessHandle> process = leftover(sandbox);
      if (process.isEmpty()) continue;
      try {
        trees.signal(process.get().pid(), new HashSet<>(), true);
        killed++;
      } catch (RuntimeException e) {
        LOG.warn("cannot kill the leftover process in {}: {}", sandbox, e.getMessage());
      }
    }
    return new TearDown.Done("killed " + killed + " task process" + (killed == 1 ? "" : "es") + " left by run " + runId);
  }

  @Override
  public void close() {}

  /** The live process the sandbox's pid file names, if it is still the one the file meant. */
  private static Optional<ProcessHandle> leftover(Path sandbox) {
    Path file = sandbox.resolve(LocalCluster.PID_FILE);
    if (!Files.isRegularFile(file)) return Optional.empty();
    try {
      String[] parts = Files.readString(file, StandardCharsets.UTF_8).trim().split(" ");
      long pid = Long.parseLong(parts[0]);
      long started = Long.parseLong(parts[1]);
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      if (handle.isEmpty() || !handle.get().isAlive()) return Optional.empty();
      long actual = handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
      if (started != 0 && Math.abs(actual - started) > 1000) return Optional.empty();
      return handle;
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot check for leftover processes in {}: {}", sandbox, e.getMessage());
      return Optional.empty();
    }
  }
}
