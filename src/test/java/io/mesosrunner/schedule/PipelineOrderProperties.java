package io.mesosrunner.schedule;

import static io.mesosrunner.schedule.Fixtures.job;
import static io.mesosrunner.schedule.Fixtures.offer;
import static io.mesosrunner.schedule.Fixtures.offers;
import static io.mesosrunner.schedule.Fixtures.run;
import static io.mesosrunner.schedule.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.Step;
import io.mesosrunner.testing.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Dependency order under random completion orders: random pipelines (up to 5 steps, random needs
 * on earlier steps, random sizes and parallelism) driven by random offers, completions and
 * infrastructure losses on a fake clock. No instance of a step starts before every instance of
 * every step it needs has finished, every instance completes exactly once, and the run succeeds.
 */
class PipelineOrderProperties {

  @Property(tries = 300)
  void noStepStartsBeforeItsNeedsAndEveryInstanceCompletesOnce(@ForAll long seed) {
    Random rng = new Random(seed);
    Pipeline p = randomPipeline(rng);
    FakeClock clock = new FakeClock();
    Map<Integer, Integer> completions = new HashMap<>();
    SchedulerJournal journal = new CountingJournal(completions);
    JobScheduler scheduler = new JobScheduler(p, run(), clock, JobScheduler.DEFAULT_MAX_LOSSES, journal, null);
    scheduler.handle(new Event.Subscribed("fw-1", "test"));
    Set<Integer> finished = new HashSet<>();
    List<String> live = new ArrayList<>();
    Map<String, Integer> indexOf = new HashMap<>();
    Map<Integer, Integer> losses = new HashMap<>();
    for (int round = 0; round < 5_000 && !scheduler.isEnded(); round++) {
      int dice = rng.nextInt(10);
      if (dice < 3 || live.isEmpty()) {
        for (TaskSpec t : launched(scheduler.handle(offers(offer("a" + rng.nextInt(3), 0.1 + rng.nextInt(4) * 0.1, 4096))))) {
          Step step = p.step(t.step());
          int index = step.first() + t.instance();
          for (String need : step.needs()) {
            Step n = p.step(need);
            for (int i = n.first(); i < n.first() + n.size(); i++) {
              assertThat(finished).as("%s launched before %s/%d finished", t.taskId(), need, i - n.first()).contains(i);
            }
          }
          live.add(t.taskId());
          indexOf.put(t.taskId(), index);
          scheduler.handle(update(t.taskId(), TaskState.RUNNING));
        }
      } else if (dice < 8) {
        String task = live.remove(rng.nextInt(live.size()));
        finished.add(indexOf.get(task));
        scheduler.handle(update(task, TaskState.FINISHED, 0));
      } else if (dice < 9 && losses.merge(indexOf.get(live.get(0)), 1, Integer::sum) < 5) {
        scheduler.handle(update(live.remove(0), TaskState.LOST));
      } else {
        clock.advance(Duration.ofSeconds(rng.nextInt(3)));
        scheduler.handle(new Event.Tick());
      }
    }
    assertThat(scheduler.outcome()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(completions).hasSize(p.instances());
    assertThat(completions.values()).allMatch(n -> n == 1);
  }

  private static List<TaskSpec> launched(List<Action> actions) {
    return actions.stream().filter(Action.Launch.class::isInstance).map(Action.Launch.class::cast)
        .flatMap(l -> l.tasks().stream()).toList();
  }

  private static Pipeline randomPipeline(Random rng) {
    int n = 1 + rng.nextInt(5);
    PipelineFixtures.StepSpec[] specs = new PipelineFixtures.StepSpec[n];
    for (int s = 0; s < n; s++) {
      List<String> needs = new ArrayList<>();
      for (int e = 0; e < s; e++) {
        if (rng.nextInt(3) == 0) needs.add("s" + e);
      }
      int size = 1 + rng.nextInt(4);
      specs[s] = PipelineFixtures.step("s" + s, job().instances(size).parallelism(1 + rng.nextInt(size)).build(),
          needs.toArray(String[]::new));
    }
    return PipelineFixtures.pipeline("p", specs);
  }

  /** Counts each instance's recorded completions. */
  private record CountingJournal(Map<Integer, Integer> completions) implements SchedulerJournal {
    @Override public void frameworkRegistered(String frameworkId) {}
    @Override public void taskLaunched(String taskId, int instance, int attempt, String agentId, String hostname,
        Instant at) {}
    @Override public void taskStateChanged(String taskId, TaskState state, Integer exitCode, String message,
        AttemptRecord.EndCause cause, Instant at) {}
    @Override public void instanceCompleted(int instance, String taskId, Instant at) {
      completions.merge(instance, 1, Integer::sum);
    }
    @Override public void instanceFailed(int instance, String reason, Instant at) {}
    @Override public void runEnded(Outcome outcome, String reason, Instant at) {}
    @Override public void flush() {}
  }
}
