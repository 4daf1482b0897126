package io.mesosrunner.cluster.local;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Killing the whole tree of processes a task made.
 *
 * <p>Every task's process is the leader of its own session and process group (see
 * {@link ProcessStarter}), whose id is its pid. A kill sends the signal twice over: to the whole
 * process group (this reaches descendants even after their parent died and they were
 * re-parented), and to every descendant seen so far through {@link ProcessHandle#descendants()}
 * (this reaches processes that left the group with their own {@code setsid}). Where process
 * groups cannot be used, only the second half is. When a task's process ends, its group is swept
 * with SIGKILL in batches, as a Mesos agent destroys a container whose executor ended.
 *
 * <p>Thread-safe.
 */
final class ProcessTrees {

  /** Sends a signal to whole process groups. */
  interface GroupSignals {

    /** Whether tasks get their own process group, so that group signals reach their trees. */
    boolean usesProcessGroups();

    /** Sends {@code signal} ({@code TERM} or {@code KILL}) to each process group. */
    void signalGroups(List<Long> groups, String signal);
  }

  private static final long SWEEP_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final GroupSignals groups;
  private final ConcurrentLinkedQueue<Long> toSweep = new ConcurrentLinkedQueue<>();
  private volatile long lastSweep = System.nanoTime();

  ProcessTrees(GroupSignals groups) {
    this.groups = groups;
  }

  /**
   * Signals the task process {@code pid} (a group leader) and all its descendants.
   *
   * @param seen  descendants seen by earlier calls; this call adds the ones it sees
   * @param force SIGKILL when true, else SIGTERM
   */
  void signal(long pid, Set<ProcessHandle> seen, boolean force) {
    Optional<ProcessHandle> root = ProcessHandle.of(pid);
    root.ifPresent(r -> r.descendants().forEach(seen::add));
    // The task's own process first, directly: its end is what the task's status reports. Were a
    // child killed first (the group signal may go through the spawner, so it can arrive after
    // the direct ones below), a shell waiting for it would see it die and exit 0 itself before
    // its own signal came: a killed task reported as "Command exited with status 0".
    root.ifPresent(r -> destroy(r, force));
    if (groups.usesProcessGroups()) {
      groups.signalGroups(List.of(pid), force ? "KILL" : "TERM");
    }
    for (ProcessHandle h : seen) {
      destroy(h, force);
    }
  }

  private static void destroy(ProcessHandle h, boolean force) {
    if (force) {
      h.destroyForcibly();
    } else {
      h.destroy();
    }
  }

  /** Remembers the group of a task that ended, for the next {@link #sweep}. */
  void sweepLater(long pgid) {
    if (groups.usesProcessGroups()) {
      toSweep.add(pgid);
    }
  }

  /**
   * SIGKILLs every group remembered by {@link #sweepLater}, in one batch, at most once every
   * {@link #SWEEP_INTERVAL_NANOS}.
   */
  void sweepSometimes() {
    long now = System.nanoTime();
    if (now - lastSweep >= SWEEP_INTERVAL_NANOS) {
      lastSweep = now;
      sweep();
    }
  }

  /** SIGKILLs every group remembered by {@link #sweepLater} now, in one batch. */
  void sweep() {
    List<Long> batch = new ArrayList<>();
    for (Long g = toSweep.poll(); g != null; g = toSweep.poll()) {
      batch.add(g);
    }
    if (!batch.isEmpty()) {
      groups.signalGroups(batch, "KILL");
    }
  }

  /** Group signals through the {@code kill} command, one process per batch of groups. */
  static final class KillCommand implements GroupSignals {

    private static final Logger LOG = LoggerFactory.getLogger(KillCommand.class);
    private static final File DEV_NULL = new File("/dev/null");

    private final String kill = ProcessStarter.firstExecutable("/bin/kill", "/usr/bin/kill");

    @Override
    public boolean usesProcessGroups() {
      return kill != null;
    }

    @Override
    public void signalGroups(List<Long> groups, String signal) {
      if (kill == null) {
        return;
      }
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
}
