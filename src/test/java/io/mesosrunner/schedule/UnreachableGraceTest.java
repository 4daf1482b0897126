package io.mesosrunner.schedule;

import static io.mesosrunner.schedule.Fixtures.job;
import static io.mesosrunner.schedule.Fixtures.masterUpdate;
import static io.mesosrunner.schedule.Fixtures.offer;
import static io.mesosrunner.schedule.Fixtures.offers;
import static io.mesosrunner.schedule.Fixtures.run;
import static io.mesosrunner.schedule.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.job.Job;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import io.mesosrunner.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A task whose agent becomes unreachable keeps its instance for the grace; on a fake clock. */
class UnreachableGraceTest {

  private static final Duration GRACE = Duration.ofSeconds(60);

  private final FakeClock clock = new FakeClock();
  private final RecordingJournal journal = new RecordingJournal();
  private JobScheduler scheduler;

  private void start(Job job) {
    scheduler = new JobScheduler(job, run(), clock, JobScheduler.DEFAULT_MAX_LOSSES, journal, null);
    scheduler.handle(new Event.Subscribed("fw-1", "test cluster"));
  }

  private List<String> launch(String agent) {
    return scheduler.handle(offers(offer(agent, 4, 4096))).stream().filter(Action.Launch.class::isInstance)
        .map(Action.Launch.class::cast).flatMap(l -> l.tasks().stream()).map(TaskSpec::taskId).toList();
  }

  private List<Action> tickAfter(Duration d) {
    clock.advance(d);
    return scheduler.handle(new Event.Tick());
  }

  private static Event.StatusUpdate unreachable(String taskId) {
    return masterUpdate(taskId, TaskState.UNREACHABLE, "AGENT_REMOVED");
  }

  private static Event.StatusUpdate reregistered(String taskId) {
    return masterUpdate(taskId, TaskState.RUNNING, "AGENT_REREGISTERED");
  }

  private static List<String> kills(List<Action> actions) {
    return actions.stream().filter(Action.Kill.class::isInstance).map(a -> ((Action.Kill) a).taskId()).toList();
  }

  @Test
  void anAgentBackWithinTheGraceKeepsItsTasksAndNothingRunsTwice() {
    start(job().instances(3).unreachableGrace(GRACE).build());
    List<String> ids = launch("agent-1");
    for (String id : ids) scheduler.handle(update(id, TaskState.RUNNING));
    for (String id : ids) scheduler.handle(unreachable(id));
    assertThat(tickAfter(Duration.ofSeconds(18))).noneMatch(Action.Launch.class::isInstance);
    assertThat(launch("agent-2")).as("nothing is replaced within the grace").isEmpty();
    for (String id : ids) scheduler.handle(reregistered(id));
    assertThat(tickAfter(GRACE)).noneMatch(Action.Launch.class::isInstance);
    for (String id : ids) scheduler.handle(update(id, TaskState.FINISHED, 0));

    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    for (InstanceRecord r : scheduler.instances()) {
      assertThat(r.attempts()).as("instance %d ran once", r.index()).hasSize(1);
      assertThat(r.losses()).isZero();
      assertThat(r.attempts().get(0).unreachableFor()).isEqualTo(Duration.ofSeconds(18));
    }
  }

  @Test
  void theLiveLineSaysWhichAgentItWaitsForAndHowLong() {
    start(job().instances(2).unreachableGrace(GRACE).build());
    List<String> ids = launch("agent-1");
    scheduler.handle(update(ids.get(0), TaskState.RUNNING));
    scheduler.handle(unreachable(ids.get(0)));
    clock.advance(Duration.ofSeconds(12));
    Progress p = scheduler.progress();
    assertThat(p.waitReason()).isEqualTo("waiting for agent agent-1 to come back (12s of 1m)");
    assertThat(p.active()).isEqualTo(1);
    assertThat(p.waiting()).isEqualTo(1);
    scheduler.handle(reregistered(ids.get(0)));
    assertThat(scheduler.progress().waitReason()).isEmpty();
  }

  @Test
  void anAgentNeverBackIsReplacedWhenTheGraceEndsAndTheLossDoesNotUseRetries() {
    start(job().retries(0).unreachableGrace(GRACE).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(unreachable(first));
    tickAfter(GRACE.minusSeconds(1));
    assertThat(launch("agent-2")).isEmpty();
    tickAfter(Duration.ofSeconds(1));
    String second = launch("agent-2").get(0);
    assertThat(second).isEqualTo("hello.0.2.r1");
    scheduler.handle(update(second, TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    InstanceRecord r = scheduler.instances().get(0);
    assertThat(r.losses()).isEqualTo(1);
    assertThat(r.failures()).isZero();
    assertThat(r.attempts().get(0).cause()).isEqualTo(EndCause.LOST);
    assertThat(journal.changes).contains("hello.0.1.r1 UNREACHABLE null", "hello.0.1.r1 UNREACHABLE LOST");
  }

  @Test
  void anAgentBackAfterTheGraceHasItsCopyKilledAndTheInstanceCountsOnce() {
    start(job().unreachableGrace(GRACE).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(update(first, TaskState.RUNNING));
    scheduler.handle(unreachable(first));
    tickAfter(GRACE);
    String second = launch("agent-2").get(0);
    scheduler.handle(update(second, TaskState.RUNNING));
    clock.advance(Duration.ofSeconds(18));
    assertThat(kills(scheduler.handle(reregistered(first)))).containsExactly(first);
    scheduler.handle(update(first, TaskState.KILLED));
    scheduler.handle(update(second, TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(scheduler.progress().done()).isEqualTo(1);
    assertThat(scheduler.instances().get(0).attempts().get(0).unreachableFor()).isEqualTo(Duration.ofSeconds(78));
  }

  @Test
  void aCopyThatFinishesBeforeItsKillIsSeenAsARunTwice() {
    start(job().instances(2).unreachableGrace(GRACE).build());
    List<String> ids = launch("agent-1");
    String first = ids.get(0);
    scheduler.handle(unreachable(first));
    tickAfter(GRACE);
    String second = launch("agent-2").get(0);
    scheduler.handle(update(second, TaskState.FINISHED, 0));
    clock.advance(Duration.ofSeconds(5));
    scheduler.handle(update(first, TaskState.FINISHED, 0));
    assertThat(scheduler.progress().done()).isEqualTo(1);
    scheduler.handle(update(ids.get(1), TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    List<AttemptRecord> attempts = scheduler.instances().get(0).attempts();
    assertThat(attempts).extracting(AttemptRecord::state).containsExactly(TaskState.FINISHED, TaskState.FINISHED);
    assertThat(attempts.get(0).unreachableFor()).isEqualTo(Duration.ofSeconds(65));
  }

  @Test
  void theDeadlineStillEndsARunThatWaitsForAnAgent() {
    start(job().unreachableGrace(Duration.ofMinutes(10)).deadline(Duration.ofSeconds(90)).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(unreachable(first));
    List<Action> out = tickAfter(Duration.ofSeconds(90));
    assertThat(kills(out)).containsExactly(first);
    assertThat(scheduler.isEnded()).as("nothing waits for an agent that may never answer the kill").isTrue();
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.instances().get(0).state()).isEqualTo(InstanceState.ABANDONED);
    assertThat(scheduler.instances().get(0).attempts().get(0).cause()).isEqualTo(EndCause.STOPPED);
  }

  @Test
  void aRepeatedUnreachableDoesNotStartTheGraceAgain() {
    start(job().unreachableGrace(GRACE).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(unreachable(first));
    clock.advance(Duration.ofSeconds(40));
    scheduler.handle(masterUpdate(first, TaskState.UNREACHABLE, "RECONCILIATION"));
    tickAfter(Duration.ofSeconds(20));
    assertThat(launch("agent-2")).containsExactly("hello.0.2.r1");
  }

  @Test
  void aRunResumedWhileATaskWaitedForItsAgentKeepsTheGraceFromWhenItBegan() {
    Instant began = clock.instant();
    Resume resume = new Resume("fw-1", List.of(new Resume.Instance(0, false, false, 0, 0, 1, List.of(
        new Resume.Task("hello.0.1.r1", 1, "agent-1", "agent-1.example", TaskState.UNREACHABLE, null, null, null,
            began, null, began)))), true);
    clock.advance(Duration.ofSeconds(50));
    scheduler = new JobScheduler(job().unreachableGrace(GRACE).build(), run(), clock, 10, journal, resume);
    scheduler.handle(new Event.Subscribed("fw-1", "test cluster"));
    scheduler.handle(masterUpdate("hello.0.1.r1", TaskState.UNREACHABLE, "RECONCILIATION"));
    assertThat(launch("agent-2")).isEmpty();
    assertThat(scheduler.progress().waitReason()).contains("(50s of 1m)");
    tickAfter(Duration.ofSeconds(10));
    assertThat(launch("agent-2")).containsExactly("hello.0.2.r1");
  }

  @Test
  void anExecutorThatDidNotRegisterIsALossAndUsesNoRetry() {
    start(job().retries(0).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(new Event.StatusUpdate(new TaskStatus(first, TaskState.FAILED, "agent-1",
        "Executor did not register within 1mins", "EXECUTOR_REGISTRATION_TIMEOUT", null, "dXVpZA==",
        TaskStatus.Source.AGENT)));
    assertThat(scheduler.isEnded()).isFalse();
    String second = launch("agent-1").get(0);
    scheduler.handle(update(second, TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    AttemptRecord a = scheduler.instances().get(0).attempts().get(0);
    assertThat(a.cause()).isEqualTo(EndCause.LOST);
    assertThat(a.reason()).isEqualTo("EXECUTOR_REGISTRATION_TIMEOUT");
    assertThat(a.source()).isEqualTo(TaskStatus.Source.AGENT);
    assertThat(journal.reasons).containsExactly("hello.0.1.r1 EXECUTOR_REGISTRATION_TIMEOUT AGENT");
  }

  @Test
  void aCommandsOwnFailureStillUsesItsRetries() {
    start(job().retries(0).build());
    String first = launch("agent-1").get(0);
    scheduler.handle(new Event.StatusUpdate(new TaskStatus(first, TaskState.FAILED, "agent-1",
        "Command exited with status 3", null, 3, "dXVpZA==", TaskStatus.Source.EXECUTOR)));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.instances().get(0).attempts().get(0).cause()).isEqualTo(EndCause.FAILED);
  }

  /** Keeps what the scheduler journals about tasks, as text. */
  private static final class RecordingJournal implements SchedulerJournal {
    final List<String> changes = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();

    @Override public void frameworkRegistered(String frameworkId) {}
    @Override public void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname,
        Instant at) {}
    @Override public void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message,
        EndCause cause, Instant at) {
      changes.add(taskId + " " + state + " " + cause);
    }
    @Override public void taskReason(String taskId, String reason, TaskStatus.Source source, Instant at) {
      reasons.add(taskId + " " + reason + " " + source);
    }
    @Override public void instanceCompleted(int instance, String taskId, Instant at) {}
    @Override public void instanceFailed(int instance, String reason, Instant at) {}
    @Override public void runEnded(Outcome outcome, String reason, Instant at) {}
    @Override public void flush() {}
  }
}
