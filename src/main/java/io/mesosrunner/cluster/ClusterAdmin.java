package io.mesosrunner.cluster;

import java.io.IOException;
import java.util.List;

/**
 * What the commands that do not run a job ask of the cluster a recorded run used ({@code runner
 * logs}, {@code status} with a master, {@code kill}, {@code run --restart}): read a task's output
 * files, list the tasks the run's framework has there, and stop what the run left. One admin
 * serves one recorded run; the command line builds it from the run's {@link ClusterKind}. Unlike
 * {@link Cluster} it never subscribes nor takes offers (tearing down aside), so asking about a run
 * never disturbs the runner that may be running it.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public interface ClusterAdmin extends AutoCloseable {

  /**
   * A task of the run as its journal recorded it.
   *
   * @param agentId  the agent it was placed on, or null when it never was
   * @param hostname the agent's host name, or null
   * @param settled  whether it is known to have ended (its files will not grow, nor appear)
   */
  record RecordedTask(String taskId, int instance, int attempt, String agentId, String hostname, boolean settled) {}

  /**
   * A task of the run's framework as the cluster knows it.
   *
   * @param state the cluster's name of its state, e.g. {@code TASK_RUNNING}
   * @param ended whether that state is a terminal one
   */
  record KnownTask(String id, String state, String agentId, boolean ended) {}

  /** What {@link #tearDown} did. */
  sealed interface TearDown {
    /** Nothing of the run runs there any more; {@code what} says what was done, for the user. */
    record Done(String what) implements TearDown {}

    /**
     * The cluster could not be told; what the run left may still run there.
     *
     * @param why    for the user
     * @param byHand a command that stops it once the cluster answers, or null
     */
    record NotDone(String why, String byHand) implements TearDown {}
  }

  /**
   * Up to a page of the bytes of the task's file {@code fileName} ({@code stdout}, {@code
   * stderr}) from byte {@code offset} on: empty when there is nothing more for now, null when the
   * file is gone for good.
   *
   * @throws IOException when the cluster cannot be asked
   */
  byte[] readOutput(RecordedTask task, String fileName, long offset) throws IOException, InterruptedException;

  /** Why {@link #readOutput} answered null, one line for the user. */
  String whyNoOutput(RecordedTask task, String fileName);

  /** Whether {@link #isClusterLine} can leave out lines of {@code fileName}. */
  default boolean filtersOutput(String fileName) {
    return false;
  }

  /** Whether a line of {@code fileName} is the cluster's own, not the task's (a run leaves those out too). */
  default boolean isClusterLine(String fileName, byte[] line) {
    return false;
  }

  /**
   * The tasks of the run's framework the cluster knows, ended ones included.
   *
   * @throws IOException when the cluster cannot be asked
   */
  List<KnownTask> tasks() throws IOException, InterruptedException;

  /**
   * Stops whatever of the run still runs: kills its leftover task processes, or tears its
   * framework down. Never throws for a cluster that cannot be reached: that is a {@link
   * TearDown.NotDone}.
   *
   * @param unsettled the run's tasks not known to have ended
   */
  TearDown tearDown(List<RecordedTask> unsettled) throws InterruptedException;

  /** Lets go of what asking held (HTTP clients). Idempotent. */
  @Override
  void close();
}
