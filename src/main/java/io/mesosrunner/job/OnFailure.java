package io.mesosrunner.job;

/**
 * What a job does when one instance has failed and has no retries left ({@code on_failure} in
 * the job file).
 */
public enum OnFailure {
  /** Kill the instances still staging or running, launch no more, and fail the job (the default). */
  STOP,
  /** Let every other instance run to its own end (with its own retries); the job still fails. */
  CONTINUE;

  /** The word a job file uses for this value: {@code stop} or {@code continue}. */
  public String fileValue() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
