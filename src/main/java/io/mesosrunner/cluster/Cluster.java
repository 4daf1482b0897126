package io.mesosrunner.cluster;


/**
 * The port the scheduler talks through. Two adapters implement it: {@code cluster.local} (this
 * machine, the default) and {@code cluster.mesos} (the Mesos v1 scheduler HTTP API).
 *
 * <p>Threading: {@link #start} and {@link #execute} are called from the scheduler's thread only
 * and must not block for long; the adapter delivers events and output to the listener from its
 * own threads (the listener only enqueues).
 */
public interface Cluster extends AutoCloseable {

  /** Connects (subscribes) and starts delivering events. Returns at once. */
  void start(ClusterListener listener);

  /** Carries out one action. Failures come back as events, never as exceptions. */
  void execute(Action action);

  /**
   * Where a task's files are (its sandbox), for the report: a local directory, or the agent URL
   * and path of a Mesos sandbox. Null when unknown.
   */
  default String sandboxOf(String taskId) {
    return null;
  }

  /** One line naming the cluster, for the summary: {@code local cluster (2 cpus, 22.5 GiB)}. */
  String description();

  /** Releases connections, threads and processes. Idempotent. */
  @Override
  void close();
}
