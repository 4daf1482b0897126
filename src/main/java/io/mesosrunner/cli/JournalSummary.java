package io.mesosrunner.cli;

import io.mesosrunner.report.RunReport;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A run's report as its journal tells it, for a run followed from outside its runner. */
final class JournalSummary {

  private JournalSummary() {}

  static RunReport of(List<? extends JournalRecord> records, int exitCode) {
    RunState state = RunState.fold(records);
    long end = state.started().startedAtEpochMs();
    for (JournalRecord r : records) {
      if (r instanceof JournalRecord.TaskLaunched l) end = Math.max(end, l.atEpochMs());
      if (r instanceof JournalRecord.TaskStateChanged c) end = Math.max(end, c.atEpochMs());
      if (r instanceof JournalRecord.RunEnded e) end = Math.max(end, e.atEpochMs());
    }
    List<RunReport.Instance> list = new ArrayList<>();
    int completed = 0;
    int failed = 0;
    long attempts = 0;
    for (RunState.Instance i : state.instances()) {
      List<RunReport.Attempt> atts = new ArrayList<>();
      for (RunState.Attempt a : i.attempts()) {
        atts.add(new RunReport.Attempt(a.taskId(), a.attempt(), a.agentId(), a.hostname(),
            a.state() == null ? null : "TASK_" + a.state(), a.exitCode(), a.message(),
            a.cause() == null ? null : a.cause().name(), Instant.ofEpochMilli(a.launchedAtEpochMs()).toString(),
            a.settled() ? Instant.ofEpochMilli(a.updatedAtEpochMs()).toString() : null, null));
      }
      attempts += atts.size();
      String st;
      if (i.completed()) {
        st = "DONE";
        completed++;
      } else if (i.failed()) {
        st = "FAILED";
        failed++;
      } else if (i.lastAttempt() != null && !i.lastAttempt().settled()) {
        st = "ACTIVE";
      } else {
        st = state.ended() ? "ABANDONED" : "PENDING";
      }
      list.add(new RunReport.Instance(i.index(), st, i.failures(), i.losses(), atts));
    }
    var s = state.started();
    String outcome = state.outcome() != null ? state.outcome().name() : switch (exitCode) {
      case ExitCode.CLUSTER -> "CLUSTER_FAILED";
      case ExitCode.INTERRUPTED -> "INTERRUPTED";
      default -> null;
    };
    return new RunReport(s.jobName(), s.jobFile(), s.fileSha256(), s.gitCommit(), s.runId(), s.cluster(),
        state.frameworkId(), outcome, exitCode, state.endReason(), Instant.ofEpochMilli(s.startedAtEpochMs()).toString(),
        Instant.ofEpochMilli(end).toString(), (end - s.startedAtEpochMs()) / 1000.0, list.size(), completed, failed,
        attempts, list);
  }
}
