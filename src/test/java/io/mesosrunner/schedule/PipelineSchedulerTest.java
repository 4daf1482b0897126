package io.mesosrunner.schedule;

import static io.mesosrunner.schedule.Fixtures.job;
import static io.mesosrunner.schedule.Fixtures.offer;
import static io.mesosrunner.schedule.Fixtures.offers;
import static io.mesosrunner.schedule.Fixtures.run;
import static io.mesosrunner.schedule.Fixtures.update;
import static io.mesosrunner.schedule.PipelineFixtures.pipeline;
import static io.mesosrunner.schedule.PipelineFixtures.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.job.OnFailure;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineSchedulerTest {

  private final FakeClock clock = new FakeClock();
  private JobScheduler scheduler;

  private List<Action> start(Pipeline p) {
    scheduler = new JobScheduler(p, run(), clock, JobScheduler.DEFAULT_MAX_LOSSES, SchedulerJournal.NONE, null);
    return scheduler.handle(new Event.Subscribed("fw-1", "test cluster"));
  }

  private List<TaskSpec> launched(List<Action> actions) {
    return actions.stream().filter(Action.Launch.class::isInstance).map(Action.Launch.class::cast)
        .flatMap(l -> l.tasks().stream()).toList();
  }

  private List<Action> end(String taskId, TaskState state, int exit) {
    scheduler.handle(update(taskId, TaskState.RUNNING));
    return scheduler.handle(update(taskId, state, exit));
  }

  /** extract (2) -> transform (matrix 2) and audit (1) -> report (1). */
  private static Pipeline nightly(OnFailure onFailure) {
    return pipeline("nightly",
        step("extract", job().instances(2).onFailure(onFailure).build()),
        step("transform", job().instances(2).retries(0).onFailure(onFailure).build(), "extract")
            .matrix(List.of(Map.of("REGION", "eu"), Map.of("REGION", "us"))),
        step("audit", job().retries(0).onFailure(onFailure).build(), "extract"),
        step("report", job().onFailure(onFailure).build(), "transform", "audit"));
  }

  @Test
  void aStepStartsOnlyWhenEveryStepItNeedsHasCompleted() {
    start(nightly(OnFailure.STOP));
    List<TaskSpec> first = launched(scheduler.handle(offers(offer("a1", 8, 4096))));
    assertThat(first).extracting(TaskSpec::taskId)
        .containsExactly("nightly.extract.0.1.r1", "nightly.extract.1.1.r1");
    end("nightly.extract.0.1.r1", TaskState.FINISHED, 0);
    assertThat(launched(scheduler.handle(offers(offer("a1", 8, 4096))))).isEmpty();
    List<Action> afterExtract = end("nightly.extract.1.1.r1", TaskState.FINISHED, 0);
    assertThat(afterExtract).anyMatch(Action.Revive.class::isInstance);
    // One offer takes the instances of both steps that became ready.
    List<TaskSpec> next = launched(scheduler.handle(offers(offer("a1", 8, 4096))));
    assertThat(next).extracting(TaskSpec::taskId)
        .containsExactly("nightly.transform.0.1.r1", "nightly.transform.1.1.r1", "nightly.audit.0.1.r1");
  }

  @Test
  void aStepsInstancesCarryTheStepTheMatrixAndTheirIndexWithinTheStep() {
    start(nightly(OnFailure.STOP));
    launched(scheduler.handle(offers(offer("a1", 8, 4096))));
    end("nightly.extract.0.1.r1", TaskState.FINISHED, 0);
    end("nightly.extract.1.1.r1", TaskState.FINISHED, 0);
    TaskSpec us = launched(scheduler.handle(offers(offer("a1", 8, 4096)))).get(1);
    assertThat(us.env()).containsEntry("RUNNER_STEP", "transform").containsEntry("REGION", "us")
        .containsEntry("RUNNER_INSTANCE", "1").containsEntry("RUNNER_INSTANCES", "2")
        .containsEntry("RUNNER_JOB", "nightly");
    assertThat(us.labels()).containsEntry("runner.step", "transform").containsEntry("runner.instance", "1");
    assertThat(us.tag()).isEqualTo("nightly/transform/1");
    assertThat(us.step()).isEqualTo("transform");
  }

  @Test
  void underContinueAFailedStepSkipsItsDependentsAndIndependentBranchesRunToTheirEnd() {
    start(nightly(OnFailure.CONTINUE));
    scheduler.handle(offers(offer("a1", 8, 4096)));
    end("nightly.extract.0.1.r1", TaskState.FINISHED, 0);
    end("nightly.extract.1.1.r1", TaskState.FINISHED, 0);
    scheduler.handle(offers(offer("a1", 8, 4096)));
    end("nightly.audit.0.1.r1", TaskState.FAILED, 3);
    assertThat(scheduler.isEnded()).isFalse();
    assertThat(scheduler.skipReason("report")).isEqualTo("needs audit, which failed");
    end("nightly.transform.0.1.r1", TaskState.FINISHED, 0);
    end("nightly.transform.1.1.r1", TaskState.FINISHED, 0);
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).contains("audit 0").contains("skipped: report (needs audit, which failed)");
    assertThat(scheduler.instances().get(5).state()).isEqualTo(InstanceState.ABANDONED);
    assertThat(scheduler.instances().get(5).attempts()).isEmpty();
    assertThat(scheduler.instances().subList(2, 4)).allMatch(i -> i.state() == InstanceState.DONE);
  }

  @Test
  void underStopAFailedStepStopsTheRun() {
    start(nightly(OnFailure.STOP));
    scheduler.handle(offers(offer("a1", 8, 4096)));
    end("nightly.extract.0.1.r1", TaskState.FINISHED, 0);
    end("nightly.extract.1.1.r1", TaskState.FINISHED, 0);
    scheduler.handle(offers(offer("a1", 8, 4096)));
    List<Action> out = end("nightly.audit.0.1.r1", TaskState.FAILED, 3);
    assertThat(out).filteredOn(Action.Kill.class::isInstance).hasSize(2);
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(scheduler.outcomeReason()).startsWith("step audit: instance 0 failed");
  }

  @Test
  void aStepWaitingForItsNeedsSaysWhichInItsProgress() {
    start(nightly(OnFailure.STOP));
    scheduler.handle(offers(offer("a1", 8, 4096)));
    assertThat(scheduler.progress().waitReason()).isEqualTo("steps they need: extract");
  }

  @Test
  void timeoutAndRetriesAreEachSteps() {
    Pipeline p = pipeline("p",
        step("quick", job().timeout(Duration.ofSeconds(5)).retries(0).build()),
        step("slow", job().build(), "quick"));
    start(p);
    scheduler.handle(offers(offer("a1", 8, 4096)));
    scheduler.handle(update("p.quick.0.1.r1", TaskState.RUNNING));
    clock.advance(Duration.ofSeconds(6));
    List<Action> out = scheduler.handle(new Event.Tick());
    assertThat(out).filteredOn(Action.Kill.class::isInstance).hasSize(1);
    scheduler.handle(update("p.quick.0.1.r1", TaskState.KILLED));
    assertThat(scheduler.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(new ArrayList<>(scheduler.instances())).hasSize(2);
  }
}
