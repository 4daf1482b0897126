package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.util.Map;

/**
 * Mutable state of one attempt (one task). Its task id is derived ({@link AttemptTable#taskId}),
 * not stored, and times are epoch milliseconds: a million-instance job holds at least a million of
 * these.
 */
final class Attempt {
  /** No time recorded yet. */
  static final long UNSET = Long.MIN_VALUE;

  final Instance instance;
  final int number;
  final String agentId;
  final String hostname;
  final Map<String, String> attributes;
  final long startedAt;
  TaskState state = TaskState.STAGING;
  Integer exitCode;
  String message;
  /** The reason name and sender of the latest update, or null when it gave none. */
  String reason;
  TaskStatus.Source source;
  EndCause cause;
  long endedAt = UNSET;
  boolean terminal;
  KillReason killReason;
  long killSentAt = UNSET;
  /** When it was last reported unreachable, else UNSET. */
  long unreachableAt = UNSET;
  /** When it was reported again after that (its agent came back), else UNSET. */
  long backAt = UNSET;

  /** Whether it is unreachable now and may still come back. */
  boolean unreachable() {
    return unreachableAt != UNSET && backAt == UNSET;
  }

  Attempt(Instance instance, int number, String agentId, String hostname, Map<String, String> attributes,
      long startedAt) {
    this.instance = instance;
    this.number = number;
    this.agentId = agentId;
    this.hostname = hostname;
    this.attributes = attributes;
    this.startedAt = startedAt;
  }
}
