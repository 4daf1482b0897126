package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import io.mesosrunner.cluster.mesos.testmaster.Violation;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.InstanceState;
import io.mesosrunner.cluster.TaskState;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The checks every fault scenario ends with: each instance completed exactly once, nothing left behind. */
final class FaultChecks {

  private FaultChecks() {}

  /**
   * Closes the run (waiting for its last calls) and checks, on the scheduler's side, that exactly
   * {@code instances} instances are DONE with one finished attempt each, and on every master's
   * side that no task id finished twice, that the finished tasks cover {@code instances}
   * distinct instance indexes once each, that nothing is left running, that every update was
   * acknowledged and that no protocol violation was recorded.
   */
  static void assertCompletedExactlyOnce(MesosRun run, int instances, TestMaster... masters) {
    assertCompletedExactlyOnce(run, instances, v -> false, masters);
  }

  /** As above, with violations that the scenario provokes on purpose (and checks itself) left out. */
  static void assertCompletedExactlyOnce(MesosRun run, int instances, Predicate<Violation> provoked,
      TestMaster... masters) {
    run.close();
    assertThat(run.completedInstances()).as("instances DONE").isEqualTo(instances);
    assertThat(run.scheduler.progress().done()).as("completions counted").isEqualTo(instances);
    for (InstanceRecord inst : run.instances()) {
      assertThat(inst.state()).isEqualTo(InstanceState.DONE);
      assertThat(inst.attempts().stream().filter(a -> a.state() == TaskState.FINISHED).count())
          .as("finished attempts of instance %d: %s", inst.index(), inst.attempts()).isEqualTo(1);
    }
    Map<Integer, Integer> finishedPerInstance = new HashMap<>();
    for (TestMaster master : masters) {
      Map<String, Integer> counts = master.finishedCounts();
      assertThat(counts.values()).as("TASK_FINISHED per task id").allMatch(c -> c == 1);
      counts.keySet().forEach(id -> finishedPerInstance.merge(MesosRun.instanceOf(id), 1, Integer::sum));
      assertThat(master.runningTaskIds()).as("tasks left running").isEmpty();
      assertThat(master.unacknowledgedUpdates()).as("unacknowledged updates").isEmpty();
      assertThat(master.violations().stream().filter(provoked.negate())).as("violations").isEmpty();
    }
    assertThat(finishedPerInstance).as("finished tasks per instance index").hasSize(instances);
    assertThat(finishedPerInstance.entrySet().stream().filter(e -> e.getValue() != 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue))).as("instances finished twice").isEmpty();
  }

  /** Attempts of every instance, one line each, for assertion messages. */
  static String attempts(MesosRun run) {
    return run.instances().stream().map(i -> i.index() + ": " + i.attempts().stream()
        .map(a -> a.taskId() + "=" + a.state() + (a.cause() == null ? "" : "/" + a.cause()))
        .collect(Collectors.joining(", "))).collect(Collectors.joining("\n"));
  }

  static long finishedAttempts(InstanceRecord inst) {
    return inst.attempts().stream().map(AttemptRecord::state).filter(s -> s == TaskState.FINISHED).count();
  }
}
