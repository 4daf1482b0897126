package io.mesosrunner.cluster;

import java.util.Locale;

/**
 * Whose fault it is that a task ended otherwise than by finishing: the task's own failure (it counts
 * against {@code retries}, and {@code retry_on_exit} / {@code no_retry_exit} apply) or a loss to
 * the cluster (relaunched without using {@code retries}, bounded by the per-instance loss limit).
 *
 * <p>The table ({@link #of}, the README's "Whose fault" section says the same):
 *
 * <ol>
 *   <li>LOST, DROPPED, UNREACHABLE, GONE, GONE_BY_OPERATOR, UNKNOWN: the cluster's, whatever the
 *       reason (the cluster lost track of the task or never ran it).</li>
 *   <li>FAILED, ERROR, KILLED with a reason: what the reason says ({@link TaskReason}); for
 *       {@code CONTAINER_LAUNCH_FAILED}, the task's when the message names the fetcher, an image or
 *       a user, else the cluster's.</li>
 *   <li>With no reason, or one that says nothing (reconciliation) or one this runner does not
 *       know: FAILED and ERROR from the executor (or an unknown sender) are the task's (the command
 *       exited non-zero; the master refused it), FAILED from the agent or the master is the
 *       cluster's (only the executor knows how the command ended), KILLED nobody asked for is the
 *       cluster's.</li>
 * </ol>
 *
 * Killed tasks the runner asked to kill (timeout, stop, duplicate) are decided by the scheduler, not
 * here.
 */
public enum Blame {
  /** The task's own failure. */
  TASK,
  /** Lost to the cluster. */
  CLUSTER;

  /**
   * Whose fault an end in {@code state} is.
   *
   * @param reason  the reason name (with or without {@code REASON_}), or null
   * @param source  who sent the update, or null when not known
   * @param message the update's message, or null
   */
  public static Blame of(TaskState state, String reason, TaskStatus.Source source, String message) {
    switch (state) {
      case LOST, DROPPED, UNREACHABLE, GONE, GONE_BY_OPERATOR, UNKNOWN:
        return CLUSTER;
      default:
        break;
    }
    TaskReason r = TaskReason.of(reason);
    if (r != null) {
      switch (r.says()) {
        case TASK:
          return TASK;
        case CLUSTER:
          return CLUSTER;
        case LAUNCH:
          return launchFailure(message);
        case NOTHING:
          break;
      }
    }
    if (state == TaskState.KILLED) return CLUSTER;
    if (state == TaskState.FAILED && (source == TaskStatus.Source.AGENT || source == TaskStatus.Source.MASTER)) {
      return CLUSTER;
    }
    return TASK;
  }

  /**
   * A container the agent could not launch: the task's when the fetcher could not fetch a URI
   * ("Failed to fetch all URIs"), an image could not be had ("Failed to provision", "image") or
   * the user does not exist, as the job file named them; otherwise the agent's.
   */
  private static Blame launchFailure(String message) {
    if (message == null) return CLUSTER;
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("fetch") || m.contains("image") || m.contains("provision") || m.contains("user")
        ? TASK : CLUSTER;
  }

  /** "failed" or "lost to the cluster". */
  public String words() {
    return this == TASK ? "failed" : "lost to the cluster";
  }
}
