package io.mesosrunner.schedule;

/** Where one instance of a job stands. */
public enum InstanceState {
  /** Waiting for an offer (eligible now). */
  PENDING,
  /** Waiting out the backoff after a failure. */
  BACKOFF,
  /** An attempt is staging or running. */
  ACTIVE,
  /** Completed: an attempt ended in TASK_FINISHED. */
  DONE,
  /** Out of retries (or of the infrastructure-loss bound): the job fails. */
  FAILED,
  /** Never completed because the run stopped (job failed elsewhere, deadline, interrupt). */
  ABANDONED
}
