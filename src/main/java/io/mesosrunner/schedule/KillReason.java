package io.mesosrunner.schedule;

/** Why the scheduler killed an attempt; decides what the attempt's end means for its instance. */
enum KillReason {
  /** The attempt ran past the job's timeout: its end is a failure of the instance. */
  TIMEOUT,
  /** The run is stopping: its end abandons the instance. */
  STOP,
  /** Another attempt of the same instance is the one that counts: its end has no consequence. */
  DUPLICATE
}
