package io.mesosrunner.report;

import io.mesosrunner.schedule.InstanceRecord;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a run ended with, copied once from the scheduler when the run is over, so that the report
 * reads a value and not the live scheduler.
 *
 * @param cluster     the cluster's description
 * @param outcome     an {@code Outcome} name, or null when the run has not ended
 * @param reason      the reason given with the outcome, or null
 * @param endedAt     when the run ended, or null
 * @param instances   every instance with its attempts
 * @param cpusPerTask the cpus each task holds
 * @param utilisation the utilisation samples taken during the run, oldest first
 */
public record RunSnapshot(String job, String jobFile, String fileSha256, String gitCommit, String runId,
    String cluster, String frameworkId, String outcome, String reason, Instant startedAt, Instant endedAt,
    List<InstanceRecord> instances, double cpusPerTask, List<RunReport.Sample> utilisation) {

  public RunSnapshot {
    Objects.requireNonNull(startedAt, "startedAt");
    instances = List.copyOf(instances);
    utilisation = List.copyOf(utilisation);
  }
}
