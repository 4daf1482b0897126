package io.mesosrunner.cluster;

import java.util.Locale;

/**
 * Every reason a Mesos 1.12 master, agent or executor gives in a task status
 * ({@code TaskStatus.Reason} of {@code mesos.proto}, names without {@code REASON_}), with what the
 * reason says about whose fault a task's end is, and the reason in words.
 *
 * <p>The decisions come from where the Mesos source sets each reason (the agent's {@code slave.cpp},
 * the master's {@code master.cpp}, the command executor, the containerizer); {@link Blame#of}
 * applies them with the task state. {@code TaskReasonTest} holds every value of the protobuf enum
 * against this list, so a reason added to Mesos fails the build until somebody decides it.
 */
public enum TaskReason {
  // The task's own doing: its command, its resources, its description.
  COMMAND_EXECUTOR_FAILED(Says.TASK, "the command executor could not run the command"),
  CONTAINER_LAUNCH_FAILED(Says.LAUNCH, "the agent could not launch the task's container"),
  CONTAINER_LIMITATION(Says.TASK, "the task went over a resource limit"),
  CONTAINER_LIMITATION_DISK(Says.TASK, "the task used more disk than it asked for"),
  CONTAINER_LIMITATION_MEMORY(Says.TASK, "the task used more memory than it asked for"),
  MAX_COMPLETION_TIME_REACHED(Says.TASK, "the task ran past its max completion time"),
  TASK_INVALID(Says.TASK, "the master refused the task as invalid"),
  TASK_UNAUTHORIZED(Says.TASK, "the master did not authorize the task"),
  TASK_GROUP_INVALID(Says.TASK, "the master refused the task group as invalid"),
  TASK_GROUP_UNAUTHORIZED(Says.TASK, "the master did not authorize the task group"),
  TASK_CHECK_STATUS_UPDATED(Says.TASK, "the task's check changed"),
  TASK_HEALTH_CHECK_STATUS_UPDATED(Says.TASK, "the task's health check changed"),

  // The cluster's doing: the command never ran, or ran on a machine the cluster lost.
  CONTAINER_PREEMPTED(Says.CLUSTER, "the agent preempted the task's container"),
  CONTAINER_UPDATE_FAILED(Says.CLUSTER, "the agent could not update the task's container"),
  EXECUTOR_REGISTRATION_TIMEOUT(Says.CLUSTER, "the executor did not register with the agent in time"),
  EXECUTOR_REREGISTRATION_TIMEOUT(Says.CLUSTER, "the executor did not re-register with the restarted agent in time"),
  EXECUTOR_TERMINATED(Says.CLUSTER, "the executor ended before the task did"),
  EXECUTOR_UNREGISTERED(Says.CLUSTER, "the executor had not registered with the agent"),
  FRAMEWORK_REMOVED(Says.CLUSTER, "the master removed the framework"),
  GC_ERROR(Says.CLUSTER, "the agent's garbage collection failed"),
  INVALID_FRAMEWORKID(Says.CLUSTER, "the agent did not know the framework"),
  INVALID_OFFERS(Says.CLUSTER, "the offer was no longer valid"),
  IO_SWITCHBOARD_EXITED(Says.CLUSTER, "the agent's I/O switchboard ended"),
  MASTER_DISCONNECTED(Says.CLUSTER, "the agent lost its master"),
  RESOURCES_UNKNOWN(Says.CLUSTER, "the agent did not know the task's resources"),
  AGENT_DISCONNECTED(Says.CLUSTER, "the agent disconnected"),
  AGENT_DRAINING(Says.CLUSTER, "the agent is being drained"),
  AGENT_REMOVED(Says.CLUSTER, "the master lost the agent"),
  AGENT_REMOVED_BY_OPERATOR(Says.CLUSTER, "an operator removed the agent"),
  AGENT_REREGISTERED(Says.CLUSTER, "the agent registered again"),
  AGENT_RESTARTED(Says.CLUSTER, "the agent restarted"),
  AGENT_UNKNOWN(Says.CLUSTER, "the master did not know the agent"),
  TASK_KILLED_DURING_LAUNCH(Says.CLUSTER, "the task was killed while it was launched"),
  TASK_UNKNOWN(Says.CLUSTER, "the agent did not know the task"),

  // Says nothing about the cause: the state decides.
  RECONCILIATION(Says.NOTHING, "the master answered a reconciliation");

  /** What a reason says about whose fault a task's end is. */
  enum Says {
    /** The task's own: it counts against {@code retries}. */
    TASK,
    /** The cluster's: relaunched without using {@code retries}. */
    CLUSTER,
    /**
     * The agent could not launch the container. The fetcher and the image provisioner fail the
     * launch with this reason, and a URI or image that does not exist is the job's; anything
     * else (isolators, mounts, a terminating executor, secrets) is the agent's.
     */
    LAUNCH,
    /** Nothing: the state decides. */
    NOTHING
  }

  private final Says says;
  private final String words;

  TaskReason(Says says, String words) {
    this.says = says;
    this.words = words;
  }

  Says says() {
    return says;
  }

  /** The reason in words, e.g. "the executor did not register with the agent in time". */
  public String words() {
    return words;
  }

  /** The Mesos name, e.g. {@code REASON_EXECUTOR_REGISTRATION_TIMEOUT}. */
  public String mesosName() {
    return "REASON_" + name();
  }

  /** The reason of that name (with or without {@code REASON_}, any case), or null for null or one not known. */
  public static TaskReason of(String name) {
    if (name == null) return null;
    String n = name.toUpperCase(Locale.ROOT);
    if (n.startsWith("REASON_")) n = n.substring("REASON_".length());
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The reason in words with its name and sender: "the executor did not register with the agent in
   * time (REASON_EXECUTOR_REGISTRATION_TIMEOUT, from the agent)"; a reason this runner does not
   * know is given by its name; null for none.
   */
  public static String describe(String name, TaskStatus.Source source) {
    if (name == null) return null;
    TaskReason r = of(name);
    String from = source == null ? "" : ", from " + source.words();
    return r == null ? "REASON_" + name + from.replace(", from", " from") : r.words + " (" + r.mesosName() + from + ")";
  }
}
