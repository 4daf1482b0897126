package io.mesosrunner.cluster;

import io.mesosrunner.job.Job;
import io.mesosrunner.match.Placement;
import java.util.Map;

/**
 * Everything a cluster adapter needs to launch one attempt of one instance. Built by the
 * scheduler only after the matcher placed the instance on an offer.
 *
 * @param taskId    {@code <job>.<instance>.<attempt>.<run>}, or {@code <job>.<step>.<instance>.<attempt>.<run>}
 * @param job       the job (command, uris, container, user, role); for a step of a pipeline, the
 *                  step's (the pipeline's name, the step's fields)
 * @param step      the step's name, or null for a single job
 * @param instance  0..instances-1 (within the step)
 * @param attempt   1 for the first attempt of the instance
 * @param placement the offer and the exact resources and ports
 * @param env       the full extra environment: the job's env, RUNNER_JOB, RUNNER_INSTANCE,
 *                  RUNNER_INSTANCES (the count), RUNNER_ATTEMPT, RUNNER_RUN_ID, PORT0.. and PORT
 * @param labels    the task's labels: the job's own plus the runner's tracing labels
 * @param outputs   the step's declared outputs (sandbox-relative paths or globs), copied back
 *                  when the task finishes; none for a single job
 */
public record TaskSpec(
    String taskId, Job job, String step, int instance, int attempt, Placement placement,
    Map<String, String> env, Map<String, String> labels, java.util.List<String> outputs) {

  public TaskSpec {
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    outputs = java.util.List.copyOf(outputs);
  }

  /** A task of a single job (no step). */
  public TaskSpec(String taskId, Job job, int instance, int attempt, Placement placement, Map<String, String> env,
      Map<String, String> labels) {
    this(taskId, job, null, instance, attempt, placement, env, labels, java.util.List.of());
  }

  /** The tag printed in front of every line of output: {@code job/instance}, or {@code job/step/instance}. */
  public String tag() {
    return step == null ? job.name() + "/" + instance : job.name() + "/" + step + "/" + instance;
  }
}
