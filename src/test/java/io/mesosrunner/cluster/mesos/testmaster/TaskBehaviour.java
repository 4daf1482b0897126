package io.mesosrunner.cluster.mesos.testmaster;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The script a fake command executor plays for one launched task: TASK_STARTING, TASK_RUNNING,
 * then (unless it runs forever) a terminal state after {@code runFor}.
 *
 * <p>Exit code 0 ends in TASK_FINISHED, any other code in TASK_FAILED, both with the message
 * {@code Command exited with status N} and no reason, as the 1.12 command executor does.
 * {@code stdout}/{@code stderr} lines are written to the task's sandbox files (each line gets a
 * trailing newline) when the task reaches TASK_RUNNING.
 *
 * @param runFor   time from TASK_RUNNING to the terminal update; empty = run until killed
 * @param exitCode the command's exit status
 * @param stdout   lines the command writes to stdout
 * @param stderr   lines the command writes to stderr (between the executor's own log lines)
 * @param files    bytes the command writes into files of its sandbox when it runs, by file name
 *                 ({@code stdout} and {@code stderr} get them after their lines)
 */
public record TaskBehaviour(Optional<Duration> runFor, int exitCode, List<String> stdout, List<String> stderr,
        Map<String, byte[]> files, LaunchFailure launchFailure) {

    /**
     * How the agent fails a launch before the command starts ({@code AgentLaunchFailures}), or
     * none.
     */
    public enum LaunchFailure {
        /** The command runs. */
        NONE,
        /** The executor does not register within the agent's registration timeout. */
        EXECUTOR_REGISTRATION_TIMEOUT,
        /** The fetcher cannot fetch the task's URIs. */
        FETCH_FAILED
    }

    /** A behaviour whose command starts. */
    public TaskBehaviour(Optional<Duration> runFor, int exitCode, List<String> stdout, List<String> stderr,
            Map<String, byte[]> files) {
        this(runFor, exitCode, stdout, stderr, files, LaunchFailure.NONE);
    }

    public TaskBehaviour(Optional<Duration> runFor, int exitCode, List<String> stdout, List<String> stderr) {
        this(runFor, exitCode, stdout, stderr, Map.of());
    }

    public TaskBehaviour {
        Objects.requireNonNull(runFor, "runFor");
        runFor.ifPresent(d -> {
            if (d.isNegative()) {
                throw new IllegalArgumentException("runFor (" + d + ") must not be negative");
            }
        });
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exitCode (" + exitCode + ") must be within 0..255");
        }
        stdout = List.copyOf(stdout);
        stderr = List.copyOf(stderr);
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        Objects.requireNonNull(launchFailure, "launchFailure");
    }

    /**
     * The executor never registers: after the master's {@link TestMaster.Builder#executorRegistrationTimeout}
     * the agent fails the task (TASK_FAILED, REASON_EXECUTOR_REGISTRATION_TIMEOUT, from the agent).
     */
    public static TaskBehaviour executorRegistrationTimeout() {
        return new TaskBehaviour(Optional.empty(), 0, List.of(), List.of(), Map.of(),
                LaunchFailure.EXECUTOR_REGISTRATION_TIMEOUT);
    }

    /**
     * The fetcher cannot fetch the task's URIs (one that does not exist): the agent fails the launch
     * (TASK_FAILED, REASON_CONTAINER_LAUNCH_FAILED, from the agent) and the command never runs.
     */
    public static TaskBehaviour fetchFails() {
        return new TaskBehaviour(Optional.empty(), 0, List.of(), List.of(), Map.of(), LaunchFailure.FETCH_FAILED);
    }

    /** Runs for {@code runFor}, then exits 0 (TASK_FINISHED). */
    public static TaskBehaviour finishAfter(Duration runFor) {
        return new TaskBehaviour(Optional.of(runFor), 0, List.of(), List.of());
    }

    /** Runs for {@code runFor}, then exits with {@code exitCode} (TASK_FAILED unless 0). */
    public static TaskBehaviour exitAfter(Duration runFor, int exitCode) {
        return new TaskBehaviour(Optional.of(runFor), exitCode, List.of(), List.of());
    }

    /** Runs until it is killed (or its agent goes away). */
    public static TaskBehaviour runForever() {
        return new TaskBehaviour(Optional.empty(), 0, List.of(), List.of());
    }

    /** The same behaviour, writing these lines to stdout. */
    public TaskBehaviour withStdout(String... lines) {
        return new TaskBehaviour(runFor, exitCode, List.of(lines), stderr, files, launchFailure);
    }

    /** The same behaviour, writing these lines to stderr. */
    public TaskBehaviour withStderr(String... lines) {
        return new TaskBehaviour(runFor, exitCode, stdout, List.of(lines), files, launchFailure);
    }

    /** The same behaviour, also writing {@code bytes} into the sandbox file {@code name} when it runs. */
    public TaskBehaviour withFile(String name, byte[] bytes) {
        Map<String, byte[]> more = new LinkedHashMap<>(files);
        more.put(name, bytes.clone());
        return new TaskBehaviour(runFor, exitCode, stdout, stderr, more, launchFailure);
    }

    /** Whether the behaviour ends on its own. */
    public boolean terminates() {
        return runFor.isPresent() || launchFailure != LaunchFailure.NONE;
    }
}
