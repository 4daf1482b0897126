package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunFold;
import io.mesosrunner.state.RunView;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.StderrTail;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import io.mesosrunner.state.JournalRecord.Utilisation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunReportTest {

  private static final long T = 1_700_000_000_000L;

  private static List<JournalRecord> oldJournal() {
    return List.of(
        new RunStarted("r1", "job", "job.yaml", "ab".repeat(32), null, "local", T, 3, null),
        new TaskLaunched("job.0.1.r1", 0, 1, "ag", "host", T + 100),
        new TaskStateChanged("job.0.1.r1", "FAILED", 3, "Command exited with status 3", "FAILED", T + 600),
        new TaskLaunched("job.0.2.r1", 0, 2, "ag", "host", T + 1600),
        new TaskStateChanged("job.0.2.r1", "FAILED", 3, "Command exited with status 3", "FAILED", T + 2000),
        new InstanceFailed(0, "instance 0 failed 2 times", T + 2000),
        new TaskLaunched("job.1.1.r1", 1, 1, "ag", "host", T + 100),
        new TaskStateChanged("job.1.1.r1", "KILLED", null, "killed", "STOPPED", T + 2100),
        new RunEnded("FAILED", "instance 0 failed", T + 2200));
  }

  @Test
  void anOldJournalReportsWithoutSamplesOrTails() {
    RunReport r = RunReport.fromJournal(oldJournal(), 1);
    assertThat(r.utilisation()).isEmpty();
    assertThat(r.cpusPerTask()).isNull();
    assertThat(r.attempts()).isEqualTo(3);
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.completed()).isZero();
    assertThat(r.instanceList()).extracting(RunReport.Instance::state).containsExactly("FAILED", "ABANDONED", "ABANDONED");
    assertThat(r.instanceList().get(0).attempts()).extracting(RunReport.Attempt::agentId).containsOnly("ag");
    assertThat(r.instanceList().get(0).lastAttempt().state()).isEqualTo("TASK_FAILED");
    assertThat(r.instanceList().get(0).lastAttempt().stderrTail()).isEmpty();
    assertThat(r.wallSeconds()).isEqualTo(2.2);
    assertThat(r.endedAt()).isEqualTo("2023-11-14T22:13:22.200Z");
    assertThat(HtmlReport.toHtml(r)).contains("id=\"s-attempts\">3<");
  }

  @Test
  void samplesAndTailsComeBackWithTheCpusOfATask() {
    List<JournalRecord> records = new ArrayList<>(oldJournal());
    records.add(2, new Utilisation(T + 200, 500, 1500, 2, 1, "parallelism (2 running, limit 2)"));
    records.add(new StderrTail("job.0.2.r1", "reading input\nerror: disk full"));
    RunReport r = RunReport.fromJournal(records, 1);
    assertThat(r.utilisation()).containsExactly(
        new RunReport.Sample("2023-11-14T22:13:20.200Z", 0.5, 1.5, 2, 1, "parallelism (2 running, limit 2)"));
    assertThat(r.cpusPerTask()).isEqualTo(0.25);
    assertThat(r.instanceList().get(0).lastAttempt().stderrTail()).containsExactly("reading input", "error: disk full");
    assertThat(r.instanceList().get(0).attempts().get(0).stderrTail()).isEmpty();
  }

  @Test
  void aRunThatHasNotEndedShowsItsActiveAndPendingInstances() {
    List<JournalRecord> records = List.of(
        new RunStarted("r1", "job", "job.yaml", "ab".repeat(32), null, "local", T, 3, null),
        new TaskLaunched("job.0.1.r1", 0, 1, "ag", "host", T + 100),
        new TaskLaunched("job.1.1.r1", 1, 1, "ag", "host", T + 100),
        new TaskStateChanged("job.1.1.r1", "FINISHED", 0, null, null, T + 900),
        new InstanceCompleted(1, "job.1.1.r1", T + 900));
    RunFold fold = new RunFold();
    records.forEach(fold::accept);
    RunReport r = RunReport.of(fold, RunView.of(fold, new RunView.Attachment(4242L, true, null)), t -> null);
    assertThat(r.outcome()).isNull();
    assertThat(r.state()).isEqualTo("running");
    assertThat(r.exitCode()).isNull();
    assertThat(r.endedAt()).isNull();
    assertThat(r.instanceList()).extracting(RunReport.Instance::state).containsExactly("ACTIVE", "DONE", "PENDING");
    assertThat(r.instanceList().get(0).lastAttempt().endedAt()).isNull();
  }
}
