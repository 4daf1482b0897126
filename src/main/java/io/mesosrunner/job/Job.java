package io.mesosrunner.job;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * A validated job, as read from a job file (version 1). Immutable.
 *
 * <p>Defaults are applied by the loader: {@code disk} 0, {@code gpus} 0, {@code ports} 0,
 * {@code instances} 1, {@code parallelism} = instances, {@code retries} 3, {@code role} "*".
 * {@code on_failure} {@link OnFailure#STOP}, {@code retry_on_exit} and {@code no_retry_exit}
 * empty (every non-zero exit code is retried).
 * {@code timeout}, {@code deadline}, {@code user} and {@code container} are {@code null} when
 * the file does not set them. {@code env} values have already had {@code ${VAR}} substituted.
 *
 * <p>The ranges below are Jakarta Bean Validation constraints on the components; {@link
 * JobLoader} checks them with Hibernate Validator and reports each violation at its position in
 * the file. The canonical constructor itself only copies the collections.
 *
 * @param name        letters, digits, '-', '_', '.'; not {@code .} or {@code ..}
 * @param command     what each instance runs
 * @param cpus        &gt; 0
 * @param memMb       MiB, &gt; 0
 * @param diskMb      MiB, &ge; 0
 * @param gpus        whole GPUs, &ge; 0
 * @param ports       how many host ports each instance gets (exported as PORT0.. and PORT)
 * @param instances   completions required, &ge; 1
 * @param parallelism most instances staging or running at once, &ge; 1 (a limit: larger than
 *                    {@code instances} means no limit)
 * @param retries     relaunches per instance after a failure of its own, &ge; 0
 * @param timeout     per attempt, or null
 * @param deadline    for the whole job from its start, or null
 * @param env         extra environment of every instance
 * @param constraints placement constraints, checked by the matcher
 * @param role        Mesos role
 * @param user        OS user on the agent, or null for the framework user
 * @param uris        fetched into the sandbox before the command starts (by the Mesos fetcher, or
 *                    by the local cluster the same way)
 * @param container   container image to run in, or null
 * @param labels      extra labels put on every task
 * @param onFailure   what the job does when an instance has failed with no retries left
 * @param retryOnExit when not empty, the only exit codes that are retried (1..255); at most one
 *                    of this and {@code noRetryExit} is not empty
 * @param noRetryExit exit codes that fail the instance at once, never retried (1..255)
 * @param unreachableGrace how long a task whose agent became unreachable keeps its instance before
 *                    a replacement is launched ({@link #DEFAULT_UNREACHABLE_GRACE} unless the file
 *                    says; zero replaces it at once)
 */
public record Job(
    @NotNull
    @Size(max = 64, message = "must be at most {max} characters")
    @Pattern(regexp = "[A-Za-z0-9._-]+", message = "must contain only letters, digits, '.', '_' and '-'")
    @Pattern(regexp = "(?s)(?!\\.{1,2}\\z).*",
        message = "must not be '.' or '..' (it names the job's directory under .runner)")
    String name,
    @NotNull @Valid Command command,
    @Positive double cpus,
    @Positive double memMb,
    @PositiveOrZero double diskMb,
    @PositiveOrZero int gpus,
    @PositiveOrZero int ports,
    @Positive int instances,
    @Positive int parallelism,
    @PositiveOrZero int retries,
    @DurationMin(nanos = 1, message = "must be positive") Duration timeout,
    @DurationMin(nanos = 1, message = "must be positive") Duration deadline,
    Map<
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]*",
                message = "must be a valid variable name: letters, digits and '_', not starting with a digit")
            @Pattern(regexp = "(?!RUNNER_).*", message = "must not start with RUNNER_, which is reserved for the runner")
            String,
            String>
        env,
    List<@NotNull @Valid Constraint> constraints,
    @NotBlank(message = "must not be empty") String role,
    @Pattern(regexp = "\\S+", message = "must not be empty or contain spaces") String user,
    List<@NotNull @Valid FetchUri> uris,
    @Valid Container container,
    Map<@NotBlank(message = "must not be empty") String, String> labels,
    @NotNull OnFailure onFailure,
    List<Integer> retryOnExit,
    List<Integer> noRetryExit,
    @NotNull Duration unreachableGrace) {

  /**
   * The default {@code unreachable_grace}. A Mesos agent that lost its master retries registering
   * with a backoff that doubles up to one minute, so an agent whose partition heals is back within
   * about a minute; the recordings show a restarted agent back 3.2 s after its start, and the
   * partition of a busy real cluster that ran work twice lasted 18 s. A minute covers these, and an
   * agent that is really gone costs a minute more of the job's wall time (bounded by its deadline).
   */
  public static final Duration DEFAULT_UNREACHABLE_GRACE = Duration.ofSeconds(60);

  public Job {
    env = Map.copyOf(env);
    constraints = List.copyOf(constraints);
    uris = List.copyOf(uris);
    labels = Map.copyOf(labels);
    retryOnExit = List.copyOf(retryOnExit);
    noRetryExit = List.copyOf(noRetryExit);
  }

  /**
   * A job with the defaults of {@code on_failure} (stop), {@code retry_on_exit} and {@code
   * no_retry_exit} (none).
   */
  public Job(String name, Command command, double cpus, double memMb, double diskMb, int gpus, int ports,
      int instances, int parallelism, int retries, Duration timeout, Duration deadline, Map<String, String> env,
      List<Constraint> constraints, String role, String user, List<FetchUri> uris, Container container,
      Map<String, String> labels) {
    this(name, command, cpus, memMb, diskMb, gpus, ports, instances, parallelism, retries, timeout, deadline, env,
        constraints, role, user, uris, container, labels, OnFailure.STOP, List.of(), List.of());
  }

  /** A job with the default {@code unreachable_grace}. */
  public Job(String name, Command command, double cpus, double memMb, double diskMb, int gpus, int ports,
      int instances, int parallelism, int retries, Duration timeout, Duration deadline, Map<String, String> env,
      List<Constraint> constraints, String role, String user, List<FetchUri> uris, Container container,
      Map<String, String> labels, OnFailure onFailure, List<Integer> retryOnExit, List<Integer> noRetryExit) {
    this(name, command, cpus, memMb, diskMb, gpus, ports, instances, parallelism, retries, timeout, deadline, env,
        constraints, role, user, uris, container, labels, onFailure, retryOnExit, noRetryExit,
        DEFAULT_UNREACHABLE_GRACE);
  }

  /** This job with another {@code unreachable_grace} (the {@code --unreachable-grace} option wins over the file). */
  public Job withUnreachableGrace(Duration grace) {
    return new Job(name, command, cpus, memMb, diskMb, gpus, ports, instances, parallelism, retries, timeout, deadline,
        env, constraints, role, user, uris, container, labels, onFailure, retryOnExit, noRetryExit, grace);
  }

  /** This job with another {@code on_failure} (the {@code --keep-going} flag wins over the file). */
  public Job withOnFailure(OnFailure newOnFailure) {
    return new Job(name, command, cpus, memMb, diskMb, gpus, ports, instances, parallelism, retries, timeout, deadline,
        env, constraints, role, user, uris, container, labels, newOnFailure, retryOnExit, noRetryExit,
        unreachableGrace);
  }

  /** This job with another Mesos role (the {@code --role} flag wins over the file). */
  public Job withRole(String newRole) {
    return new Job(name, command, cpus, memMb, diskMb, gpus, ports, instances, parallelism, retries, timeout, deadline,
        env, constraints, newRole, user, uris, container, labels, onFailure, retryOnExit, noRetryExit,
        unreachableGrace);
  }

  /**
   * Whether an attempt that exited with {@code code} may be retried (if the instance has retries
   * left): never for 0, which is success; with {@code retry_on_exit} only for the codes it lists;
   * otherwise for every code {@code no_retry_exit} does not list. Attempts that end without an
   * exit code (lost, killed by a timeout, task errors) are not decided here.
   */
  public boolean retriesExitCode(int code) {
    if (code == 0) return false;
    if (!retryOnExit.isEmpty()) return retryOnExit.contains(code);
    return !noRetryExit.contains(code);
  }

}
