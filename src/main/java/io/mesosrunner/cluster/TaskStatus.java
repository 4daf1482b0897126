package io.mesosrunner.cluster;

/**
 * A status update about one task, as either cluster adapter reports it.
 *
 * @param taskId   the task
 * @param state    its new state
 * @param agentId  the agent, or null when the master does not know one
 * @param message  the human message, or null
 * @param reason   the Mesos reason name without {@code REASON_} (e.g. {@code RECONCILIATION}), or null
 * @param exitCode the command's exit status when known, else null
 * @param uuid     the update's uuid (base64) when it must be acknowledged, else null
 */
public record TaskStatus(
    String taskId, TaskState state, String agentId, String message, String reason, Integer exitCode, String uuid) {

  public boolean needsAck() {
    return uuid != null;
  }
}
