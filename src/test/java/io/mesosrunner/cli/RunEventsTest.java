package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunEventsTest {

  private final List<RunEvents.Line> lines = new ArrayList<>();
  private final RunEvents events = new RunEvents(0, lines::add);

  private void feed(JournalRecord... records) {
    for (JournalRecord r : records) events.accept(r);
  }

  private static RunStarted started(int instances) {
    return new RunStarted("r1", "job", "job.yaml", "abc", null, "local", 0, instances, null);
  }

  private static TaskLaunched launched(int instance, int attempt) {
    return new TaskLaunched("job." + instance + "." + attempt + ".r1", instance, attempt, "agent", "host", 0);
  }

  private static TaskStateChanged state(int instance, int attempt, String state, Integer exit, String message,
      String cause) {
    return new TaskStateChanged("job." + instance + "." + attempt + ".r1", state, exit, message, cause, 0);
  }

  private List<String> texts() {
    return lines.stream().map(RunEvents.Line::text).toList();
  }

  @Test
  void eachFailedAttemptSaysItsExitCodeAndWhenItIsRetried() {
    feed(started(4), launched(3, 1), state(3, 1, "RUNNING", null, null, null),
        state(3, 1, "FAILED", 7, "Command exited with status 7", "FAILED"),
        launched(3, 2), state(3, 2, "FAILED", 7, null, "FAILED"));
    assertThat(texts()).containsExactly("instance 3 attempt 1 failed (exit 7), retrying in 1s",
        "instance 3 attempt 2 failed (exit 7), retrying in 2s");
    assertThat(lines).noneMatch(RunEvents.Line::givenUp);
  }

  @Test
  void theLastFailureSaysNoRetriesAreLeft() {
    // The scheduler records the instance's failure before the state change that caused it.
    feed(started(1), launched(0, 1), new InstanceFailed(0, "instance 0 failed 1 time (retries: 0)", 0),
        state(0, 1, "FAILED", 2, null, "FAILED"));
    assertThat(lines).containsExactly(new RunEvents.Line("instance 0 attempt 1 failed (exit 2), no retries left", true));
    assertThat(events.progress().failed()).isEqualTo(1);
  }

  @Test
  void lostAndTimedOutAttemptsAndTaskErrorsAreNamed() {
    feed(started(3), launched(0, 1), launched(1, 1), launched(2, 1),
        state(0, 1, "LOST", null, "agent gone", "LOST"),
        state(1, 1, "KILLED", null, null, "TIMED_OUT"),
        state(2, 1, "ERROR", null, "bad command", "FAILED"));
    assertThat(texts()).containsExactly("instance 0 attempt 1 lost (TASK_LOST: agent gone), relaunching now",
        "instance 1 attempt 1 timed out, retrying in 1s",
        "instance 2 attempt 1 failed (TASK_ERROR: bad command), retrying in 1s");
  }

  @Test
  void aRepeatedUpdateIsNotAnnouncedTwice() {
    feed(started(1), launched(0, 1), state(0, 1, "FAILED", 1, null, "FAILED"), state(0, 1, "FAILED", 1, null, "FAILED"));
    assertThat(lines).hasSize(1);
  }

  @Test
  void replayedHistoryCountsFailuresWithoutPrintingThem() {
    events.replay(List.of(started(1), launched(0, 1), state(0, 1, "FAILED", 1, null, "FAILED")));
    assertThat(lines).isEmpty();
    feed(launched(0, 2), state(0, 2, "FAILED", 1, null, "FAILED"));
    assertThat(texts()).containsExactly("instance 0 attempt 2 failed (exit 1), retrying in 2s");
  }

  @Test
  void countsInstancesByStateForTheStatusLine() {
    feed(started(5), launched(0, 1), launched(1, 1), launched(2, 1),
        state(0, 1, "FINISHED", 0, null, null), new InstanceCompleted(0, "job.0.1.r1", 0),
        state(1, 1, "FAILED", 1, null, "FAILED"));
    var p = events.progress();
    assertThat(p.instances()).isEqualTo(5);
    assertThat(p.done()).isEqualTo(1);
    assertThat(p.active()).isEqualTo(1);
    assertThat(p.waiting()).isEqualTo(3);
    assertThat(p.failed()).isZero();
    assertThat(p.attempts()).isEqualTo(3);
  }

  @Test
  void backoffDoublesUpToAMinute() {
    assertThat(RunEvents.backoff(1)).hasSeconds(1);
    assertThat(RunEvents.backoff(2)).hasSeconds(2);
    assertThat(RunEvents.backoff(3)).hasSeconds(4);
    assertThat(RunEvents.backoff(7)).hasSeconds(60);
    assertThat(RunEvents.backoff(40)).hasSeconds(60);
  }
}
