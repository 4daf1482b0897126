package io.mesosrunner.schedule;

import io.mesosrunner.cluster.TaskState;
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
  EndCause cause;
  long endedAt = UNSET;
  boolean terminal;
  KillReason killReason;
  long killSentAt = UNSET;

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
