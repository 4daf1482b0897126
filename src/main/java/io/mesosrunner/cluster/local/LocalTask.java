package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.TaskSpec;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;

/**
 * One task launched on the local cluster, from its launch until its terminal update.
 *
 * <p>Threading: the final fields are set at launch; {@link #pid} is written by the starter's
 * thread and {@link #gone} counted down there, {@link #seen} is added to by whoever signals; the
 * plain fields belong to the event loop.
 */
final class LocalTask {
  final TaskSpec spec;
  final Path sandbox;
  final Amounts need;
  final BitSet ports;
  /** Descendants seen by the signals sent so far, signalled again by the next. */
  final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();
  /** Counted down when the task's process has ended or could not start. */
  final CountDownLatch gone = new CountDownLatch(1);
  /** The task's process (and process group) id once started, else 0. */
  volatile long pid;
  volatile boolean killRequested;
  /** Set when an output glob matched nothing: said in the TASK_FINISHED message. */
  volatile String outputWarning;
  /** The peak resident memory of the task's process (or a descendant it waited for) in KiB, -1 unknown. */
  volatile long peakMemKib = -1;
  /** Event loop: a SIGTERM has been sent (or was asked for before the process started). */
  boolean signalled;
  /** Event loop: the terminal update has been sent; the task is no longer the master's. */
  boolean finished;
  /** Event loop: the SIGKILL after the grace period. */
  ScheduledFuture<?> killTimer;

  LocalTask(TaskSpec spec, Path sandbox, Amounts need, BitSet ports) {
    this.spec = spec;
    this.sandbox = sandbox;
    this.need = need;
    this.ports = ports;
  }

  String id() {
    return spec.taskId();
  }
}
