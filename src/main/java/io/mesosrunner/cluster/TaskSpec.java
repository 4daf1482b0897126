package io.mesosrunner.cluster;

import io.mesosrunner.job.Job;
import io.mesosrunner.match.Placement;
import java.util.Map;

/**
 * Everything a cluster adapter needs to launch one attempt of one instance. Built by the
 * scheduler only after the matcher placed the instance on an offer.
 *
 * @param taskId    {@code <job>.<instance>.<attempt>.<run>}
 * @param job       the job (command, uris, container, user, role)
 * @param instance  0..instances-1
 * @param attempt   1 for the first attempt of the instance
 * @param placement the offer and the exact resources and ports
 * @param env       the full extra environment: the job's env, RUNNER_JOB, RUNNER_INSTANCE,
 *                  RUNNER_INSTANCES (the count), RUNNER_ATTEMPT, RUNNER_RUN_ID, PORT0.. and PORT
 * @param labels    the task's labels: the job's own plus the runner's tracing labels
 */
public record TaskSpec(
    String taskId, Job job, int instance, int attempt, Placement placement,
    Map<String, String> env, Map<String, String> labels) {

  public TaskSpec {
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
  }

  /** The tag printed in front of every line of output: {@code job/instance}. */
  public String tag() {
    return job.name() + "/" + instance;
  }
}
