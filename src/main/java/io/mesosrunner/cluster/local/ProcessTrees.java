package io.mesosrunner.cluster.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting a task as the leader of its own session and process group, and killing the whole
 * tree of processes it made.
 *
 * <p>Method: every task is started through {@code setsid} (util-linux), which makes the task's
 * process the leader of a new session and process group whose id is its pid. A kill sends the
 * signal twice over: to the whole process group with {@code kill -s SIG -- -<pgid>} (this reaches
 * descendants even after their parent died and they were re-parented), and to every descendant
 * seen so far through {@link ProcessHandle#descendants()} (this reaches processes that left the
 * group with their own {@code setsid}). When {@code setsid} or {@code kill} is missing, only the
 * second half is used. When a task's process ends, its group is swept with SIGKILL in batches,
 * as a Mesos agent destroys a container whose executor ended.
 *
 * <p>Thread-safe.
 */
final class ProcessTrees {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessTrees.class);
  private static final File DEV_NULL = new File("/dev/null");

  private final String setsid;
  private final String kill;
  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final ConcurrentLinkedQueue<Long> toSweep = new ConcurrentLinkedQueue<>();
  private volatile long lastSweep = System.nanoTime();

  ProcessTrees() {
    this.setsid = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    this.kill = firstExecutable("/bin/kill", "/usr/bin/kill");
  }

  private static String firstExecutable(String... candidates) {
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  /** Whether tasks get their own process group (and group kills work). */
  boolean usesProcessGroups() {
    return setsid != null && kill != null;
  }

  /** The argument vector that starts {@code argv} as a new session and process group. */
  List<String> wrap(List<String> argv) {
    if (!usesProcessGroups()) {
      return argv;
    }
    List<String> out = new ArrayList<>(argv.size() + 2);
    out.add(setsid);
    out.add("-w");
    out.addAll(argv);
    return out;
  }

  /**
   * Signals the process started by {@link #wrap} and all its descendants.
   *
   * @param root  the task's process
   * @param seen  descendants seen by earlier calls; this call adds the ones it sees
   * @param force SIGKILL when true, else SIGTERM
   */
  void signal(ProcessHandle root, Set<ProcessHandle> seen, boolean force) {
    root.descendants().forEach(seen::add);
    if (usesProcessGroups()) {
      signalGroups(List.of(root.pid()), force ? "KILL" : "TERM");
    }
    for (ProcessHandle h : seen) {
      if (force) {
        h.destroyForcibly();
      } else {
        h.destroy();
      }
    }
    if (force) {
      root.destroyForcibly();
    } else {
      root.destroy();
    }
  }

  /** Remembers the group of a task that ended, for the next {@link #sweep}. */
  void sweepLater(long pgid) {
    if (usesProcessGroups()) {
      toSweep.add(pgid);
    }
  }

  /**
   * SIGKILLs every group remembered by {@link #sweepLater}, in one {@code kill} command, at most
   * once every {@link #SWEEP_INTERVAL_NANOS}: one extra process for a whole batch of tasks.
   */
  void sweepSometimes() {
    long now = System.nanoTime();
    if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
      lastSweep = now;
      sweep();
    }
  }

  /** SIGKILLs every group remembered by {@link #sweepLater} now, in one {@code kill} command. */
  void sweep() {
    List<Long> groups = new ArrayList<>();
    for (Long g = toSweep.poll(); g != null; g = toSweep.poll()) {
      groups.add(g);
    }
    if (!groups.isEmpty()) {
      signalGroups(groups, "KILL");
    }
  }

  private void signalGroups(List<Long> groups, String signal) {
    List<String> cmd = new ArrayList<>(groups.size() + 4);
    cmd.add(kill);
    cmd.add("-s");
    cmd.add(signal);
    cmd.add("--");
    for (long g : groups) {
      cmd.add("-" + g);
    }
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectInput(DEV_NULL)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      LOG.warn("cannot run {}: {}", kill, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
