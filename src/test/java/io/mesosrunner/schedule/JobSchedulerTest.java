package io.mesosrunner.schedule;

import io.mesosrunner.testing.FakeClock;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;


import static io.mesosrunner.schedule.Fixtures.job;
import static io.mesosrunner.schedule.Fixtures.masterUpdate;
import static io.mesosrunner.schedule.Fixtures.offer;
import static io.mesosrunner.schedule.Fixtures.offers;
import static io.mesosrunner.schedule.Fixtures.run;
import static io.mesosrunner.schedule.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.OnFailure;
import io.mesosrunner.match.Offer;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {

  private final FakeClock clock = new FakeClock();
  private JobScheduler scheduler;
  private final List<Action> sent = new ArrayList<>();

  private List<Action> start(Job job) {
    scheduler = new JobScheduler(job, run(), clock);
    return feed(new Event.Subscribed("fw-1", "test cluster"));
  }

  private List<Action> feed(Event e) {
    List<Action> actions = scheduler.handle(e);
    sent.addAll(actions);
    return actions;
  }

  private static <T extends Action> List<T> only(List<Action> actions, Class<T> type) {
    return actions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private List<String> launchedTaskIds(List<Action> actions) {
    return only(actions, Action.Launch.class).stream().flatMap(l -> l.tasks().stream()).map(TaskSpec::taskId).toList();
  }

  private void finish(String taskId) {
    feed(update(taskId, TaskState.STARTING));
    feed(update(taskId, TaskState.RUNNING));
    feed(update(taskId, TaskState.FINISHED, 0));
  }

  @Test
  void packsSeveralInstancesIntoOneOfferAndDeclinesTheRest() {
    start(job().instances(3).build());
    Offer big = offer("agent-1", 2, 1024);
    Offer other = offer("agent-2", 2, 1024);
    List<Action> actions = feed(offers(big, other));

    List<Action.Launch> launches = only(actions, Action.Launch.class);
    assertThat(launches).hasSize(1);
    assertThat(launches.get(0).offerId()).isEqualTo(big.id());
    assertThat(launches.get(0).tasks()).extracting(TaskSpec::taskId)
        .containsExactly("hello.0.1.r1", "hello.1.1.r1", "hello.2.1.r1");
    assertThat(only(actions, Action.Decline.class)).singleElement()
        .satisfies(d -> assertThat(d.offerIds()).containsExactly(other.id()));
  }

  @Test
  void taskCarriesRunnerEnvironmentAndTracingLabels() {
    start(job().instances(2).build());
    TaskSpec spec = only(feed(offers(offer("agent-1", 1, 1024))), Action.Launch.class).get(0).tasks().get(1);
    assertThat(spec.env()).containsEntry("RUNNER_JOB", "hello").containsEntry("RUNNER_INSTANCE", "1")
        .containsEntry("RUNNER_ATTEMPT", "1").containsEntry("GREETING", "hi");
    assertThat(spec.labels()).containsEntry("runner.job", "hello").containsEntry("runner.instance", "1")
        .containsEntry("runner.run", "r1").containsEntry("runner.file-sha256", "abc123")
        .containsEntry("runner.git-commit", "deadbeef").containsEntry("team", "data");
    assertThat(spec.tag()).isEqualTo("hello/1");
  }

  @Test
  void succeedsWhenEveryInstanceFinishedOnceAndTearsDown() {
    start(job().instances(2).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    finish(ids.get(0));
    assertThat(scheduler.isEnded()).isFalse();
    feed(update(ids.get(0), TaskState.FINISHED, 0)); // repeated
    assertThat(scheduler.progress().done()).isEqualTo(1);
    finish(ids.get(1));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(scheduler.isEnded()).isTrue();
    assertThat(sent).last().isInstanceOf(Action.Teardown.class);
  }

  @Test
  void acknowledgesEveryUpdateWithUuidAndNoneWithout() {
    start(job().build());
    String id = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    Event.StatusUpdate running = update(id, TaskState.RUNNING);
    List<Action> actions = feed(running);
    assertThat(only(actions, Action.Acknowledge.class)).singleElement()
        .satisfies(a -> assertThat(a.uuid()).isEqualTo(running.status().uuid()));
    assertThat(only(feed(masterUpdate(id, TaskState.RUNNING, "RECONCILIATION")), Action.Acknowledge.class)).isEmpty();
  }

  @Test
  void neverRunsMoreThanParallelism() {
    start(job().instances(5).parallelism(2).build());
    List<String> first = launchedTaskIds(feed(offers(offer("agent-1", 4, 4096))));
    assertThat(first).hasSize(2);
    assertThat(launchedTaskIds(feed(offers(offer("agent-2", 4, 4096))))).isEmpty();
    assertThat(scheduler.progress().waitReason()).startsWith("parallelism");
    finish(first.get(0));
    assertThat(launchedTaskIds(feed(offers(offer("agent-2", 4, 4096))))).hasSize(1);
  }

  @Test
  void retriesAFailedInstanceAfterExponentialBackoffThenFailsTheJob() {
    start(job().instances(2).retries(2).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    String bad = ids.get(0);
    feed(update(bad, TaskState.RUNNING));
    feed(update(bad, TaskState.FAILED, 3));
    assertThat(scheduler.progress().waitReason()).startsWith("backoff");
    assertThat(launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))))).isEmpty();
    clock.advance(Duration.ofMillis(1000));
    List<String> second = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    assertThat(second).containsExactly("hello.0.2.r1");
    feed(update(second.get(0), TaskState.FAILED, 3));
    clock.advance(Duration.ofMillis(1999));
    assertThat(launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))))).isEmpty();
    clock.advance(Duration.ofMillis(1));
    List<String> third = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    assertThat(third).containsExactly("hello.0.3.r1");
    List<Action> last = feed(update(third.get(0), TaskState.FAILED, 3));

    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).contains("instance 0 failed 3 times").contains("exit code 3");
    assertThat(only(last, Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(ids.get(1));
    feed(update(ids.get(1), TaskState.KILLED));
    assertThat(scheduler.isEnded()).isTrue();
    InstanceRecord zero = scheduler.instances().get(0);
    assertThat(zero.state()).isEqualTo(InstanceState.FAILED);
    assertThat(zero.failures()).isEqualTo(3);
    assertThat(zero.attempts()).extracting(AttemptRecord::exitCode).containsExactly(3, 3, 3);
    assertThat(scheduler.instances().get(1).state()).isEqualTo(InstanceState.ABANDONED);
  }

  @Test
  void backoffIsCappedAtSixtySeconds() {
    assertThat(Timers.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(Timers.backoff(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(Timers.backoff(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(Timers.backoff(100)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void infrastructureLossRelaunchesAtOnceWithoutUsingRetriesWhenThereIsNoGrace() {
    start(job().retries(0).unreachableGrace(Duration.ZERO).build());
    String id = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(masterUpdate(id, TaskState.UNREACHABLE, "AGENT_REMOVED"));
    List<String> again = launchedTaskIds(feed(offers(offer("agent-2", 1, 1024))));
    assertThat(again).containsExactly("hello.0.2.r1");
    finish(again.get(0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    InstanceRecord rec = scheduler.instances().get(0);
    assertThat(rec.failures()).isZero();
    assertThat(rec.losses()).isEqualTo(1);
    assertThat(rec.attempts().get(0).cause()).isEqualTo(EndCause.LOST);
  }

  @Test
  void unaskedKillIsALossAndALossStormFailsTheJob() {
    scheduler = new JobScheduler(job().build(), run(), clock, 2);
    feed(new Event.Subscribed("fw", "c"));
    for (int i = 1; i <= 3; i++) {
      String id = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
      feed(update(id, TaskState.KILLED));
    }
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).contains("lost to the infrastructure 3 times");
  }

  @Test
  void unreachableTaskThatComesBackAfterReplacementIsKilledAndNotCountedTwice() {
    start(job().instances(1).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(first, TaskState.RUNNING));
    feed(masterUpdate(first, TaskState.UNREACHABLE, "AGENT_REMOVED"));
    clock.advance(Job.DEFAULT_UNREACHABLE_GRACE);
    String second = launchedTaskIds(feed(offers(offer("agent-2", 1, 1024)))).get(0);
    List<Action> back = feed(masterUpdate(first, TaskState.RUNNING, "AGENT_REREGISTERED"));
    assertThat(only(back, Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(first);
    feed(update(first, TaskState.KILLED));
    assertThat(scheduler.isEnded()).isFalse();
    finish(second);
    assertThat(scheduler.progress().done()).isEqualTo(1);
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void unreachableTaskThatComesBackBeforeReplacementIsAdopted() {
    start(job().instances(1).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(masterUpdate(first, TaskState.UNREACHABLE, "AGENT_REMOVED"));
    feed(masterUpdate(first, TaskState.RUNNING, "AGENT_REREGISTERED"));
    assertThat(launchedTaskIds(feed(offers(offer("agent-2", 1, 1024))))).isEmpty();
    feed(update(first, TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(scheduler.instances().get(0).attempts()).hasSize(1);
  }

  @Test
  void lostTaskThatFinishesLaterCompletesTheInstanceAndKillsTheReplacement() {
    start(job().instances(1).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(masterUpdate(first, TaskState.LOST, "AGENT_REMOVED"));
    String second = launchedTaskIds(feed(offers(offer("agent-2", 1, 1024)))).get(0);
    List<Action> actions = feed(update(first, TaskState.FINISHED, 0));
    assertThat(only(actions, Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(second);
    assertThat(scheduler.progress().done()).isEqualTo(1);
    feed(update(second, TaskState.FINISHED, 0));
    assertThat(scheduler.progress().done()).isEqualTo(1);
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void attemptPastItsTimeoutIsKilledAndCountsAsAFailure() {
    start(job().retries(1).timeout(Duration.ofSeconds(30)).build());
    String id = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(id, TaskState.RUNNING));
    clock.advance(Duration.ofSeconds(29));
    assertThat(only(feed(new Event.Tick()), Action.Kill.class)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(only(feed(new Event.Tick()), Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(id);
    feed(update(id, TaskState.KILLED));
    InstanceRecord rec = scheduler.instances().get(0);
    assertThat(rec.failures()).isEqualTo(1);
    assertThat(rec.attempts().get(0).cause()).isEqualTo(EndCause.TIMED_OUT);
    assertThat(rec.state()).isEqualTo(InstanceState.BACKOFF);
  }

  @Test
  void deadlineFailsTheJobAndKillsWhatRuns() {
    start(job().instances(2).deadline(Duration.ofMinutes(10)).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    finish(ids.get(0));
    clock.advance(Duration.ofMinutes(10));
    List<Action> actions = feed(new Event.Tick());
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).contains("deadline").contains("1 of 2");
    assertThat(only(actions, Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(ids.get(1));
  }

  @Test
  void interruptKillsLaunchedTasksWaitsForThemThenTearsDown() {
    start(job().instances(2).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    List<Action> actions = feed(new Event.InterruptRequested("SIGINT"));
    assertThat(only(actions, Action.Kill.class)).hasSize(2);
    assertThat(scheduler.outcome()).isEqualTo(Outcome.INTERRUPTED);
    feed(update(ids.get(0), TaskState.KILLED));
    assertThat(scheduler.isEnded()).isFalse();
    List<Action> last = feed(update(ids.get(1), TaskState.KILLED));
    assertThat(scheduler.isEnded()).isTrue();
    assertThat(last).last().isInstanceOf(Action.Teardown.class);
    assertThat(scheduler.instances()).extracting(InstanceRecord::state).containsOnly(InstanceState.ABANDONED);
  }

  @Test
  void stopTearsDownAfterGraceEvenIfKilledTasksNeverReport() {
    start(job().build());
    launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    feed(new Event.InterruptRequested("SIGTERM"));
    clock.advance(JobScheduler.STOP_GRACE);
    assertThat(feed(new Event.Tick())).last().isInstanceOf(Action.Teardown.class);
    assertThat(scheduler.isEnded()).isTrue();
  }

  @Test
  void suppressesWhenNothingWaitsAndRevivesWhenSomethingDoes() {
    start(job().instances(1).retries(1).build());
    String id = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    assertThat(sent).last().isInstanceOf(Action.Suppress.class);
    List<Action> declined = feed(offers(offer("agent-2", 1, 1024)));
    assertThat(only(declined, Action.Decline.class)).singleElement()
        .satisfies(d -> assertThat(d.refuse()).isEqualTo(JobScheduler.REFUSE_LONG));
    feed(update(id, TaskState.FAILED, 1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(feed(new Event.Tick())).containsExactly(new Action.Revive());
  }

  @Test
  void reconcilesKnownTasksAfterResubscribing() {
    start(job().instances(2).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    finish(ids.get(0));
    feed(new Event.Disconnected("stream closed"));
    List<Action> actions = feed(new Event.Subscribed("fw-1", "test cluster"));
    assertThat(only(actions, Action.Reconcile.class)).singleElement()
        .satisfies(r -> assertThat(r.tasks()).extracting(Action.TaskRef::taskId).containsExactly(ids.get(1)));
  }

  @Test
  void waitReasonGivesTheShortfallInNumbers() {
    start(job().cpus(2).build());
    assertThat(scheduler.progress().waitReason()).isEqualTo("no offers yet");
    feed(offers(offer("agent-1", 1.5, 1024)));
    assertThat(scheduler.progress().waiting()).isEqualTo(1);
    assertThat(scheduler.progress().waitReason()).contains("cpus").contains("2").contains("1.5");
  }

  @Test
  void hostnameUniqueSpreadsInstancesAcrossAgents() {
    start(job().instances(2).constraints(new Constraint("hostname", Constraint.Operator.UNIQUE, null)).build());
    List<Action> first = feed(offers(offer("agent-1", 4, 4096)));
    assertThat(launchedTaskIds(first)).hasSize(1);
    assertThat(launchedTaskIds(feed(offers(offer("agent-1", 4, 4096))))).isEmpty();
    assertThat(launchedTaskIds(feed(offers(offer("agent-2", 4, 4096))))).hasSize(1);
  }

  @Test
  void updatesForUnknownTasksAreAcknowledgedAndIgnored() {
    start(job().build());
    List<Action> actions = feed(update("other.0.1.zz", TaskState.RUNNING));
    assertThat(only(actions, Action.Acknowledge.class)).hasSize(1);
    assertThat(scheduler.progress().active()).isZero();
  }

  @Test
  void clusterFailureEndsTheRunAtOnce() {
    start(job().build());
    feed(new Event.ClusterFailed("cannot reach master"));
    assertThat(scheduler.isEnded()).isTrue();
    assertThat(scheduler.outcome()).isEqualTo(Outcome.CLUSTER_FAILED);
  }

  @Test
  void taskKnowsHowManyInstancesTheJobHas() {
    start(job().instances(3).build());
    TaskSpec spec = only(feed(offers(offer("agent-1", 1, 1024))), Action.Launch.class).get(0).tasks().get(2);
    assertThat(spec.env()).containsEntry("RUNNER_INSTANCE", "2").containsEntry("RUNNER_INSTANCES", "3");
  }

  @Test
  void onFailureContinueLetsEveryInstanceRunAndFailsAtTheEndNamingEachFailedOne() {
    start(job().instances(4).retries(0).onFailure(OnFailure.CONTINUE).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    assertThat(ids).hasSize(4);
    List<Action> afterFirstFailure = feed(update(ids.get(1), TaskState.FAILED, 7));
    assertThat(only(afterFirstFailure, Action.Kill.class)).isEmpty();
    assertThat(scheduler.isEnded()).isFalse();
    finish(ids.get(0));
    feed(update(ids.get(2), TaskState.FAILED, 7));
    assertThat(scheduler.outcome()).isNull();
    List<Action> last = feed(update(ids.get(3), TaskState.FINISHED, 0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).isEqualTo("2 of 4 instances failed (on_failure: continue): 1, 2");
    assertThat(last).last().isInstanceOf(Action.Teardown.class);
    assertThat(scheduler.instances()).extracting(InstanceRecord::state)
        .containsExactly(InstanceState.DONE, InstanceState.FAILED, InstanceState.FAILED, InstanceState.DONE);
  }

  @Test
  void onFailureStopKillsTheOthersAtTheFirstInstanceOutOfRetries() {
    start(job().instances(2).retries(0).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    List<Action> actions = feed(update(ids.get(0), TaskState.FAILED, 7));
    assertThat(only(actions, Action.Kill.class)).extracting(Action.Kill::taskId).containsExactly(ids.get(1));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
  }

  @Test
  void exitCodeInNoRetryExitFailsTheInstanceAtOnceOthersAreRetried() {
    start(job().instances(2).retries(3).noRetryExit(2).onFailure(OnFailure.CONTINUE).build());
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    feed(update(ids.get(0), TaskState.FAILED, 2));
    feed(update(ids.get(1), TaskState.FAILED, 1));
    InstanceRecord zero = scheduler.instances().get(0);
    assertThat(zero.state()).isEqualTo(InstanceState.FAILED);
    assertThat(scheduler.instances().get(1).state()).isEqualTo(InstanceState.BACKOFF);
    assertThat(scheduler.takeEndedAttempts()).extracting(AttemptEnded::instance, AttemptEnded::retried)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, false), org.assertj.core.groups.Tuple.tuple(1, true));
  }

  @Test
  void retryOnExitRetriesOnlyTheCodesItLists() {
    start(job().instances(1).retries(3).retryOnExit(75).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(first, TaskState.FAILED, 75));
    assertThat(scheduler.instances().get(0).state()).isEqualTo(InstanceState.BACKOFF);
    clock.advance(Duration.ofSeconds(1));
    String second = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(second, TaskState.FAILED, 1));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason())
        .isEqualTo("instance 0 failed with exit code 1, which is not retried (retry_on_exit: [75])");
    assertThat(scheduler.instances().get(0).failures()).isEqualTo(2);
  }

  @Test
  void endedAttemptsSayWhetherAndWhenTheInstanceIsRetried() {
    start(job().instances(1).retries(1).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(first, TaskState.FAILED, 7));
    List<AttemptEnded> ended = scheduler.takeEndedAttempts();
    assertThat(ended).containsExactly(new AttemptEnded(0, 1, first, EndCause.FAILED, TaskState.FAILED, 7, null,
        Duration.ofSeconds(1)));
    assertThat(scheduler.takeEndedAttempts()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    String second = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(masterUpdate(second, TaskState.LOST, "AGENT_REMOVED"));
    assertThat(scheduler.takeEndedAttempts()).singleElement()
        .satisfies(e -> {
          assertThat(e.cause()).isEqualTo(EndCause.LOST);
          assertThat(e.retryIn()).isEqualTo(Duration.ZERO);
          assertThat(e.attempt()).isEqualTo(2);
        });
    String third = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(update(third, TaskState.FAILED, 7));
    assertThat(scheduler.takeEndedAttempts()).singleElement()
        .satisfies(e -> assertThat(e.retried()).isFalse());
  }

  @Test
  void instancesCarriedOverAsCompletedAreNotLaunchedAgain() {
    Resume carried = new Resume(null, List.of(
        new Resume.Instance(0, true, false, 0, 0, 0, List.of()),
        new Resume.Instance(2, true, false, 0, 0, 0, List.of())), false);
    scheduler = new JobScheduler(job().instances(3).build(), run(), clock, JobScheduler.DEFAULT_MAX_LOSSES,
        SchedulerJournal.NONE, carried);
    feed(new Event.Subscribed("fw-1", "test cluster"));
    List<String> ids = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))));
    assertThat(ids).containsExactly("hello.1.1.r1");
    finish(ids.get(0));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(scheduler.progress().attempts()).isEqualTo(1);
  }

  @Test
  void replacedAttemptThatFinishesFreesTheParallelismSlot() {
    start(job().instances(2).parallelism(1).build());
    String first = launchedTaskIds(feed(offers(offer("agent-1", 1, 1024)))).get(0);
    feed(masterUpdate(first, TaskState.LOST, "AGENT_REMOVED"));
    String second = launchedTaskIds(feed(offers(offer("agent-2", 1, 1024)))).get(0);
    feed(update(first, TaskState.FINISHED, 0));
    feed(update(second, TaskState.KILLED));
    assertThat(scheduler.progress().active()).isZero();
    assertThat(launchedTaskIds(feed(offers(offer("agent-1", 1, 1024))))).containsExactly("hello.1.1.r1");
  }
}
