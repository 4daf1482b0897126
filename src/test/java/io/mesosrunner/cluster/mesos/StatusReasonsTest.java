package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.Blame;
import io.mesosrunner.cluster.TaskReason;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskStatus.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every reason of the protobuf {@code TaskStatus.Reason} is decided: a TASK_FAILED carrying it is
 * the task's own failure or a loss to the cluster, as this table (the README's) says. A reason a
 * newer {@code mesos.proto} adds has no row here and fails until somebody decides it.
 */
class StatusReasonsTest {

  /** What a TASK_FAILED from the agent with each reason is (the message names no fetcher, image or user). */
  private static final Map<Reason, Blame> FAILED_FROM_AGENT = Map.ofEntries(
      Map.entry(Reason.REASON_COMMAND_EXECUTOR_FAILED, Blame.TASK),
      Map.entry(Reason.REASON_CONTAINER_LAUNCH_FAILED, Blame.CLUSTER),
      Map.entry(Reason.REASON_CONTAINER_LIMITATION, Blame.TASK),
      Map.entry(Reason.REASON_CONTAINER_LIMITATION_DISK, Blame.TASK),
      Map.entry(Reason.REASON_CONTAINER_LIMITATION_MEMORY, Blame.TASK),
      Map.entry(Reason.REASON_CONTAINER_PREEMPTED, Blame.CLUSTER),
      Map.entry(Reason.REASON_CONTAINER_UPDATE_FAILED, Blame.CLUSTER),
      Map.entry(Reason.REASON_MAX_COMPLETION_TIME_REACHED, Blame.TASK),
      Map.entry(Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT, Blame.CLUSTER),
      Map.entry(Reason.REASON_EXECUTOR_REREGISTRATION_TIMEOUT, Blame.CLUSTER),
      Map.entry(Reason.REASON_EXECUTOR_TERMINATED, Blame.CLUSTER),
      Map.entry(Reason.REASON_EXECUTOR_UNREGISTERED, Blame.CLUSTER),
      Map.entry(Reason.REASON_FRAMEWORK_REMOVED, Blame.CLUSTER),
      Map.entry(Reason.REASON_GC_ERROR, Blame.CLUSTER),
      Map.entry(Reason.REASON_INVALID_FRAMEWORKID, Blame.CLUSTER),
      Map.entry(Reason.REASON_INVALID_OFFERS, Blame.CLUSTER),
      Map.entry(Reason.REASON_IO_SWITCHBOARD_EXITED, Blame.CLUSTER),
      Map.entry(Reason.REASON_MASTER_DISCONNECTED, Blame.CLUSTER),
      // Reconciliation says nothing of the cause; from the agent, only the executor knows how a command ended.
      Map.entry(Reason.REASON_RECONCILIATION, Blame.CLUSTER),
      Map.entry(Reason.REASON_RESOURCES_UNKNOWN, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_DISCONNECTED, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_DRAINING, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_REMOVED, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_REMOVED_BY_OPERATOR, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_REREGISTERED, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_RESTARTED, Blame.CLUSTER),
      Map.entry(Reason.REASON_AGENT_UNKNOWN, Blame.CLUSTER),
      Map.entry(Reason.REASON_TASK_KILLED_DURING_LAUNCH, Blame.CLUSTER),
      Map.entry(Reason.REASON_TASK_CHECK_STATUS_UPDATED, Blame.TASK),
      Map.entry(Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED, Blame.TASK),
      Map.entry(Reason.REASON_TASK_GROUP_INVALID, Blame.TASK),
      Map.entry(Reason.REASON_TASK_GROUP_UNAUTHORIZED, Blame.TASK),
      Map.entry(Reason.REASON_TASK_INVALID, Blame.TASK),
      Map.entry(Reason.REASON_TASK_UNAUTHORIZED, Blame.TASK),
      Map.entry(Reason.REASON_TASK_UNKNOWN, Blame.CLUSTER));

  private static TaskStatus failed(Reason reason, Protos.TaskStatus.Source source, String message) {
    return OfferTranslator.toStatus(Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("job.0.1.r1"))
        .setState(Protos.TaskState.TASK_FAILED)
        .setReason(reason)
        .setSource(source)
        .setMessage(message)
        .build());
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReasonIsKnownByNameAndHasWords(Reason reason) {
    TaskStatus s = failed(reason, Protos.TaskStatus.Source.SOURCE_AGENT, "x");
    TaskReason ours = TaskReason.of(s.reason());
    assertThat(ours).as("the port knows %s", reason).isNotNull();
    assertThat(ours.mesosName()).isEqualTo(reason.name());
    assertThat(ours.words()).isNotBlank();
    assertThat(TaskReason.describe(s.reason(), s.source())).startsWith(ours.words())
        .contains(reason.name()).endsWith("from the agent)");
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void everyReasonIsDecidedForAFailedTask(Reason reason) {
    assertThat(FAILED_FROM_AGENT).as("nobody decided %s", reason).containsKey(reason);
    TaskStatus s = failed(reason, Protos.TaskStatus.Source.SOURCE_AGENT, "Container went away");
    assertThat(s.blame()).as(reason.name()).isEqualTo(FAILED_FROM_AGENT.get(reason));
  }

  @ParameterizedTest
  @EnumSource(Reason.class)
  void aTaskTheClusterLostIsTheClustersWhateverTheReason(Reason reason) {
    for (TaskState st : new TaskState[] {TaskState.LOST, TaskState.DROPPED, TaskState.UNREACHABLE, TaskState.GONE,
        TaskState.GONE_BY_OPERATOR, TaskState.UNKNOWN}) {
      assertThat(Blame.of(st, reason.name(), TaskStatus.Source.MASTER, "m")).as(st + " " + reason)
          .isEqualTo(Blame.CLUSTER);
    }
  }

  @Test
  void sourceAndStateComeThroughTheAdapter() {
    TaskStatus s = failed(Reason.REASON_EXECUTOR_REGISTRATION_TIMEOUT, Protos.TaskStatus.Source.SOURCE_AGENT,
        "Executor did not register within 1mins");
    assertThat(s.source()).isEqualTo(TaskStatus.Source.AGENT);
    assertThat(s.reason()).isEqualTo("EXECUTOR_REGISTRATION_TIMEOUT");
    assertThat(s.blame()).isEqualTo(Blame.CLUSTER);
  }

  @Test
  void aCommandThatExitedNonZeroIsTheTasksOwn() {
    // failed-task.jsonl: the executor's TASK_FAILED has no reason.
    TaskStatus s = OfferTranslator.toStatus(Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t")).setState(Protos.TaskState.TASK_FAILED)
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR).setMessage("Command exited with status 3").build());
    assertThat(s.blame()).isEqualTo(Blame.TASK);
    assertThat(Blame.of(TaskState.FAILED, null, null, "exit 3")).as("local cluster: no source").isEqualTo(Blame.TASK);
    assertThat(Blame.of(TaskState.ERROR, "TASK_INVALID", TaskStatus.Source.MASTER, "too big")).isEqualTo(Blame.TASK);
  }

  @Test
  void aFetchOrImageOrUserLaunchFailureIsTheTasksAnyOtherIsTheClusters() {
    String fetch = "Failed to launch container: Failed to fetch all URIs for container 'c1': exited with status 1";
    assertThat(failed(Reason.REASON_CONTAINER_LAUNCH_FAILED, Protos.TaskStatus.Source.SOURCE_AGENT, fetch).blame())
        .isEqualTo(Blame.TASK);
    assertThat(Blame.of(TaskState.FAILED, "CONTAINER_LAUNCH_FAILED", TaskStatus.Source.AGENT,
        "Failed to launch container: Failed to provision image 'alpine:nope'")).isEqualTo(Blame.TASK);
    assertThat(Blame.of(TaskState.FAILED, "CONTAINER_LAUNCH_FAILED", TaskStatus.Source.AGENT,
        "Failed to launch container: Failed to prepare isolator: cgroups")).isEqualTo(Blame.CLUSTER);
    assertThat(Blame.of(TaskState.FAILED, "CONTAINER_LAUNCH_FAILED", TaskStatus.Source.AGENT, "Executor terminating"))
        .isEqualTo(Blame.CLUSTER);
  }

  @Test
  void aKillNobodyAskedForIsTheClustersUnlessItsReasonIsTheTasks() {
    assertThat(Blame.of(TaskState.KILLED, null, TaskStatus.Source.EXECUTOR, null)).isEqualTo(Blame.CLUSTER);
    assertThat(Blame.of(TaskState.KILLED, "CONTAINER_PREEMPTED", TaskStatus.Source.AGENT, null))
        .isEqualTo(Blame.CLUSTER);
    assertThat(Blame.of(TaskState.KILLED, "CONTAINER_LIMITATION_MEMORY", TaskStatus.Source.AGENT, null))
        .isEqualTo(Blame.TASK);
  }

  @Test
  void aReasonThisRunnerDoesNotKnowLeavesItToTheState() {
    assertThat(TaskReason.of("SOMETHING_NEW")).isNull();
    assertThat(Blame.of(TaskState.FAILED, "SOMETHING_NEW", TaskStatus.Source.EXECUTOR, null)).isEqualTo(Blame.TASK);
    assertThat(Blame.of(TaskState.FAILED, "SOMETHING_NEW", TaskStatus.Source.AGENT, null)).isEqualTo(Blame.CLUSTER);
    assertThat(TaskReason.describe("SOMETHING_NEW", TaskStatus.Source.AGENT)).isEqualTo("REASON_SOMETHING_NEW from the agent");
  }
}
