package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskReasonGiven;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reports say whose fault each ended attempt was, in words, and name instances that ran twice. */
class WhoseFaultReportTest {

  private static final long T = 1_700_000_000_000L;
  private static final String S1 = "a0e9e038-1111-2222-3333-444455556666-S1";

  /**
   * Instance 0: its executor did not register (lost to the cluster), then finished. Instance 1: its
   * agent S1 was unreachable past the grace; the replacement finished, then the copy came back 78 s
   * after it was lost and finished too.
   */
  private static List<JournalRecord> journal() {
    return List.of(
        new RunStarted("r1", "job", "job.yaml", "ab".repeat(32), null, "http://m:5050", T, 2, null),
        new TaskLaunched("job.0.1.r1", 0, 1, S1, "h1", T + 100),
        new TaskStateChanged("job.0.1.r1", "FAILED", null, "Executor did not register within 1mins", "LOST", T + 60_100),
        new TaskReasonGiven("job.0.1.r1", "EXECUTOR_REGISTRATION_TIMEOUT", "AGENT", T + 60_100),
        new TaskLaunched("job.0.2.r1", 0, 2, S1, "h1", T + 61_000),
        new TaskStateChanged("job.0.2.r1", "FINISHED", 0, "Command exited with status 0", null, T + 62_000),
        new InstanceCompleted(0, "job.0.2.r1", T + 62_000),
        new TaskLaunched("job.1.1.r1", 1, 1, S1, "h1", T + 100),
        new TaskStateChanged("job.1.1.r1", "RUNNING", null, null, null, T + 1_000),
        new TaskStateChanged("job.1.1.r1", "UNREACHABLE", null, "health check timed out", null, T + 2_000),
        new TaskReasonGiven("job.1.1.r1", "AGENT_REMOVED", "MASTER", T + 2_000),
        new TaskStateChanged("job.1.1.r1", "UNREACHABLE", null, "health check timed out", "LOST", T + 62_000),
        new TaskReasonGiven("job.1.1.r1", "AGENT_REMOVED", "MASTER", T + 62_000),
        new TaskLaunched("job.1.2.r1", 1, 2, "other-S2", "h2", T + 63_000),
        new TaskStateChanged("job.1.2.r1", "FINISHED", 0, "Command exited with status 0", null, T + 64_000),
        new InstanceCompleted(1, "job.1.2.r1", T + 64_000),
        new TaskStateChanged("job.1.1.r1", "FINISHED", 0, "Command exited with status 0", null, T + 80_000),
        new RunEnded("SUCCEEDED", "all 2 instances completed", T + 81_000));
  }

  @Test
  void eachEndedAttemptHasItsKindAndReasonInWords() {
    RunReport r = RunReport.fromJournal(journal(), 0);
    RunReport.Attempt first = r.instanceList().get(0).attempts().get(0);
    assertThat(first.kind()).isEqualTo("lost to the cluster");
    assertThat(first.reason()).isEqualTo("the executor did not register with the agent in time"
        + " (REASON_EXECUTOR_REGISTRATION_TIMEOUT, from the agent)");
    assertThat(r.instanceList().get(0).attempts().get(1).kind()).isNull();
    assertThat(JsonReport.toJson(r)).contains("\"kind\" : \"lost to the cluster\"")
        .contains("REASON_EXECUTOR_REGISTRATION_TIMEOUT");
  }

  @Test
  void anInstanceThatRanTwiceIsNamedWithHowLongItsAgentWasUnreachable() {
    RunReport r = RunReport.fromJournal(journal(), 0);
    RunReport.Instance one = r.instanceList().get(1);
    assertThat(one.attempts()).extracting(RunReport.Attempt::state).containsExactly("TASK_FINISHED", "TASK_FINISHED");
    assertThat(one.attempts().get(0).unreachableSeconds()).isEqualTo(78.0);
    assertThat(one.ranMoreThanOnce()).isEqualTo("instance 1 ran twice: agent S1 unreachable 78 s");
    assertThat(r.instanceList().get(0).ranMoreThanOnce()).isNull();
    assertThat(JsonReport.toJson(r)).contains("\"ranMoreThanOnce\" : \"instance 1 ran twice: agent S1 unreachable 78 s\"");
    assertThat(HtmlReport.toHtml(r)).contains("instance 1 ran twice: agent S1 unreachable 78 s");
    assertThat(JunitReport.toXml(r)).contains("<system-out>instance 1 ran twice: agent S1 unreachable 78 s");
  }

  @Test
  void theSummaryCountsEndsByKindAndNamesWhatRanTwice() {
    String text = TextSummary.render(RunReport.fromJournal(journal(), 0), i -> List.of());
    assertThat(text).contains("  lost to the cluster: 1 x the executor did not register with the agent in time"
        + " (REASON_EXECUTOR_REGISTRATION_TIMEOUT, from the agent)\n");
    assertThat(text).as("the copy that came back finished: it is no loss").doesNotContain("REASON_AGENT_REMOVED");
    assertThat(text).contains("  instance 1 ran twice: agent S1 unreachable 78 s\n");
  }

  @Test
  void aJournalWithoutReasonsStillSaysTheKind() {
    List<JournalRecord> old = journal().stream().filter(x -> !(x instanceof TaskReasonGiven)).toList();
    RunReport r = RunReport.fromJournal(old, 0);
    RunReport.Attempt first = r.instanceList().get(0).attempts().get(0);
    assertThat(first.kind()).isEqualTo("lost to the cluster");
    assertThat(first.reason()).isNull();
  }
}
