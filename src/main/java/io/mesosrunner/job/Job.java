package io.mesosrunner.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated job, as read from a job file (version 1). Immutable.
 *
 * <p>Defaults are applied by the loader: {@code disk} 0, {@code gpus} 0, {@code ports} 0,
 * {@code instances} 1, {@code parallelism} = instances, {@code retries} 3, {@code role} "*".
 * {@code timeout}, {@code deadline}, {@code user} and {@code container} are {@code null} when
 * the file does not set them. {@code env} values have already had {@code ${VAR}} substituted.
 *
 * @param name        letters, digits, '-', '_', '.'
 * @param command     what each instance runs
 * @param cpus        &gt; 0
 * @param memMb       MiB, &gt; 0
 * @param diskMb      MiB, &ge; 0
 * @param gpus        whole GPUs, &ge; 0
 * @param ports       how many host ports each instance gets (exported as PORT0.. and PORT)
 * @param instances   completions required, &ge; 1
 * @param parallelism most instances staging or running at once, 1..instances
 * @param retries     relaunches per instance after a failure of its own, &ge; 0
 * @param timeout     per attempt, or null
 * @param deadline    for the whole job from its start, or null
 * @param env         extra environment of every instance
 * @param constraints placement constraints, checked by the matcher
 * @param role        Mesos role
 * @param user        OS user on the agent, or null for the framework user
 * @param uris        fetched into the sandbox by the Mesos fetcher
 * @param container   container image to run in, or null
 * @param labels      extra labels put on every task
 */
public record Job(
    String name,
    Command command,
    double cpus,
    double memMb,
    double diskMb,
    int gpus,
    int ports,
    int instances,
    int parallelism,
    int retries,
    Duration timeout,
    Duration deadline,
    Map<String, String> env,
    List<Constraint> constraints,
    String role,
    String user,
    List<String> uris,
    Container container,
    Map<String, String> labels) {

  public Job {
    env = Map.copyOf(env);
    constraints = List.copyOf(constraints);
    uris = List.copyOf(uris);
    labels = Map.copyOf(labels);
  }
}
