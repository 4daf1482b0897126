package io.mesosrunner.state;

import static io.mesosrunner.state.Records.changed;
import static io.mesosrunner.state.Records.completed;
import static io.mesosrunner.state.Records.ended;
import static io.mesosrunner.state.Records.failed;
import static io.mesosrunner.state.Records.launched;
import static io.mesosrunner.state.Records.registered;
import static io.mesosrunner.state.Records.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.schedule.Outcome;
import io.mesosrunner.cluster.TaskState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStateTest {

  @Test
  void repeatedFinishedUpdatesCompleteTheInstanceOnce() {
    RunState s = RunState.fold(List.of(started("r1", 2), launched("a", 0, 1),
        changed("a", "FINISHED", null), changed("a", "FINISHED", null), completed(0, "a"), completed(0, "a")));
    assertThat(s.completedCount()).isEqualTo(1);
    assertThat(s.instances().get(0).completedBy()).isEqualTo("a");
    assertThat(s.instances().get(1).completed()).isFalse();
  }

  @Test
  void finishedOfADuplicateDoesNotReplaceTheFirstCompletion() {
    RunState s = RunState.fold(List.of(started("r1", 1), launched("a", 0, 1), launched("b", 0, 2),
        changed("b", "FINISHED", null), completed(0, "b"), changed("a", "FINISHED", null)));
    assertThat(s.instances().get(0).completedBy()).isEqualTo("b");
    assertThat(s.completedCount()).isEqualTo(1);
  }

  @Test
  void lostThenRunningAgainIsNoLossAndNeedsReconciling() {
    RunState s = RunState.fold(List.of(started("r1", 1), launched("a", 0, 1),
        changed("a", "RUNNING", null), changed("a", "LOST", "LOST")));
    assertThat(s.instances().get(0).losses()).isEqualTo(1);
    assertThat(s.unsettled()).isEmpty();

    s = RunState.fold(List.of(started("r1", 1), launched("a", 0, 1),
        changed("a", "RUNNING", null), changed("a", "LOST", "LOST"), changed("a", "RUNNING", null)));
    assertThat(s.instances().get(0).losses()).isZero();
    assertThat(s.unsettled()).extracting(RunState.Attempt::taskId).containsExactly("a");
    assertThat(s.instances().get(0).lastAttempt().state()).isEqualTo(TaskState.RUNNING);
  }

  @Test
  void failuresAndLossesAreCountedPerInstanceFromCauses() {
    RunState s = RunState.fold(List.of(started("r1", 2),
        launched("a1", 0, 1), changed("a1", "FAILED", "FAILED"),
        launched("a2", 0, 2), changed("a2", "KILLED", "TIMED_OUT"),
        launched("a3", 0, 3), changed("a3", "LOST", "LOST"),
        launched("a4", 0, 4), changed("a4", "KILLED", "STOPPED"),
        launched("b1", 1, 1), changed("b1", "GONE", "LOST"), changed("b1", "GONE", "LOST"),
        launched("b2", 1, 2), changed("b2", "DROPPED", "LOST")));
    assertThat(s.instances().get(0).failures()).isEqualTo(2);
    assertThat(s.instances().get(0).losses()).isEqualTo(1);
    assertThat(s.instances().get(0).nextAttempt()).isEqualTo(5);
    assertThat(s.instances().get(1).failures()).isZero();
    assertThat(s.instances().get(1).losses()).isEqualTo(2);
    assertThat(s.instances().get(0).lastAttempt().exitCode()).isNull();
    assertThat(s.instances().get(0).attempts().get(0).exitCode()).isEqualTo(3);
  }

  @Test
  void launchedTasksWithoutTerminalStateAreUnsettled() {
    RunState s = RunState.fold(List.of(started("r1", 3), registered("fw-1"), registered("fw-2"),
        launched("a", 0, 1), launched("b", 1, 1), changed("b", "RUNNING", null),
        launched("c", 2, 1), changed("c", "UNREACHABLE", null), launched("a", 0, 1)));
    assertThat(s.frameworkId()).isEqualTo("fw-2");
    assertThat(s.unsettled()).extracting(RunState.Attempt::taskId).containsExactly("a", "b", "c");
    assertThat(s.instances().get(0).attempts()).hasSize(1);
    assertThat(s.unsettled().get(0).state()).isNull();
  }

  @Test
  void updatesOfUnknownTasksAreIgnored() {
    RunState s = RunState.fold(List.of(started("r1", 1), changed("ghost", "FINISHED", null)));
    assertThat(s.completedCount()).isZero();
    assertThat(s.unsettled()).isEmpty();
  }

  @Test
  void failedInstanceStaysFailedAndRunEndsWithTheFirstOutcome() {
    RunState s = RunState.fold(List.of(started("r1", 1), launched("a", 0, 1), changed("a", "FAILED", "FAILED"),
        failed(0, "instance 0 failed 1 time"), ended("FAILED"), changed("a", "FINISHED", null), ended("SUCCEEDED")));
    assertThat(s.instances().get(0).failed()).isTrue();
    assertThat(s.instances().get(0).completed()).isFalse();
    assertThat(s.ended()).isTrue();
    assertThat(s.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(s.endReason()).isEqualTo("because");
  }

  @Test
  void foldRejectsRecordsThatAreNotOneRun() {
    assertThatThrownBy(() -> RunState.fold(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got no records");
    assertThatThrownBy(() -> RunState.fold(List.of(registered("f"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got FrameworkRegistered");
    assertThatThrownBy(() -> RunState.fold(List.of(started("r1", 1), started("r2", 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("second run (r2)");
    assertThatThrownBy(() -> RunState.fold(List.of(started("r1", 2), launched("a", 2, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("instance 2, but the run has 2 instances");
  }

  @Test
  void theFoldKeepsItsCountsAsRecordsComeAndTheViewSaysWhereTheRunStands() {
    RunFold fold = new RunFold();
    for (JournalRecord r : List.of(started("r1", 4), registered("fw"),
        launched("t0", 0, 1), changed("t0", "FINISHED", null), completed(0, "t0"),
        launched("t1", 1, 1), changed("t1", "FAILED", "FAILED"), launched("t1b", 1, 2), changed("t1b", "RUNNING", null),
        launched("t2", 2, 1), changed("t2", "LOST", "LOST"))) {
      fold.accept(r);
    }
    assertThat(new int[] {fold.completed(), fold.active(), fold.waiting(), fold.failed()}).containsExactly(1, 1, 2, 0);
    assertThat(fold.attempts()).isEqualTo(4);
    assertThat(fold.state().unsettled()).extracting(RunState.Attempt::taskId).containsExactly("t1b");
    RunView gone = RunView.of(fold, new RunView.Attachment(4242L, false, null));
    assertThat(gone.status()).isEqualTo(RunStatus.NOT_ATTACHED);
    assertThat(gone.exitCode()).isEqualTo(130);
    RunView live = RunView.of(fold, new RunView.Attachment(4242L, true, null));
    assertThat(live.status()).isEqualTo(RunStatus.RUNNING);
    assertThat(live.exitCode()).isNull();
    assertThat(live.runnerPid()).isEqualTo(4242L);
    // The exit code its runner left tells how an unended run stopped; one left for another run does not.
    assertThat(RunView.of(fold, new RunView.Attachment(1L, false, new RunnerExit.Recorded("r1", 3))).status())
        .isEqualTo(RunStatus.COULD_NOT_RUN);
    assertThat(RunView.of(fold, new RunView.Attachment(1L, false, new RunnerExit.Recorded("r0", 0))).status())
        .isEqualTo(RunStatus.NOT_ATTACHED);
    fold.accept(changed("t1b", "FINISHED", null));
    fold.accept(ended("KILLED"));
    RunView killed = RunView.of(fold, new RunView.Attachment(4242L, true, null));
    assertThat(killed.status()).isEqualTo(RunStatus.KILLED);
    assertThat(killed.exitCode()).isEqualTo(137);
    assertThat(new int[] {killed.completed(), killed.active(), killed.waiting()}).containsExactly(2, 0, 0);
  }

  @Test
  void instancesCarriedOverCountAsCompletedByTheRunTheyCameFrom() {
    RunState s = RunState.fold(List.of(started("r2", 4),
        new JournalRecord.InstancesCarriedOver("r1", "0, 2", 1L), new JournalRecord.InstancesCarriedOver("r0", "3", 1L),
        launched("a", 1, 1), changed("a", "FINISHED", null), completed(1, "a")));
    assertThat(s.completedCount()).isEqualTo(4);
    assertThat(s.instances().get(0).carriedFrom()).isEqualTo("r1");
    assertThat(s.instances().get(1).carriedFrom()).isNull();
    assertThat(s.completedByRun(4)).containsExactly(java.util.Map.entry("r1", List.of(0, 2)),
        java.util.Map.entry("r2", List.of(1)), java.util.Map.entry("r0", List.of(3)));
    assertThat(s.completedByRun(2)).containsOnlyKeys("r1", "r2");
    assertThat(s.toResume(false).instances()).filteredOn(i -> i.index() == 3).singleElement()
        .satisfies(i -> assertThat(i.completed()).isTrue());
  }

  @Test
  void aCarriedOverIndexOutsideTheRunIsRefused() {
    assertThatThrownBy(() -> RunState.fold(List.of(started("r2", 2), new JournalRecord.InstancesCarriedOver("r1", "0-2", 1L))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names instance 2");
  }
}
