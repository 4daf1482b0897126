package io.mesosrunner.cluster;

/**
 * A status update about one task, as either cluster adapter reports it.
 *
 * @param taskId   the task
 * @param state    its new state
 * @param agentId  the agent, or null when the master does not know one
 * @param message  the human message, or null
 * @param reason   the Mesos reason name without {@code REASON_} (e.g. {@code RECONCILIATION}, see
 *                 {@link TaskReason}), or null
 * @param exitCode the command's exit status when known, else null
 * @param uuid     the update's uuid (base64) when it must be acknowledged, else null
 * @param source   who sent the update, or null when the cluster does not say (the local cluster)
 */
public record TaskStatus(
    String taskId, TaskState state, String agentId, String message, String reason, Integer exitCode, String uuid,
    Source source) {

  /** Who sent an update: the master, the agent, or the task's executor (Mesos' {@code TaskStatus.Source}). */
  public enum Source {
    MASTER, AGENT, EXECUTOR;

    /** "the master", "the agent", "the executor". */
    public String words() {
      return "the " + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** An update whose sender is not known. */
  public TaskStatus(String taskId, TaskState state, String agentId, String message, String reason, Integer exitCode,
      String uuid) {
    this(taskId, state, agentId, message, reason, exitCode, uuid, null);
  }

  public boolean needsAck() {
    return uuid != null;
  }

  /** Whose fault it is when this update ends the task otherwise than by finishing (see {@link Blame#of}). */
  public Blame blame() {
    return Blame.of(state, reason, source, message);
  }
}
