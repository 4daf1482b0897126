package io.mesosrunner.schedule;

import java.util.Objects;

/**
 * Identity of one run of a job file, stamped on every task so a task on the cluster can be traced
 * back to the file that launched it.
 *
 * @param runId      fresh for every run (short, lower-case hex)
 * @param jobFile    the job file as the user named it
 * @param fileSha256 hex SHA-256 of the file's bytes
 * @param gitCommit  the commit of the work tree holding the file, or null
 */
public record RunInfo(String runId, String jobFile, String fileSha256, String gitCommit) {
  public RunInfo {
    Objects.requireNonNull(runId, "runId");
    if (!runId.matches("[a-z0-9]{1,16}")) {
      throw new IllegalArgumentException("runId (" + runId + ") must be 1-16 lower-case letters or digits");
    }
  }
}
