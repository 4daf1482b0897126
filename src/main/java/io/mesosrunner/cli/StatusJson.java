package io.mesosrunner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.state.JournalRecord;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.StateLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code runner status JOB --output json}: the latest run as the JSON report ({@code --report})
 * has it, from the journal, with where it stands now in front:
 *
 * <pre>
 *   {"state": "running", "exitCode": null, "runnerPid": 4711,
 *    "running": 2, "waiting": 5, ... the report's fields: job, runId, completed, failed, instances ...}
 * </pre>
 *
 * {@code state} is {@code running}, {@code succeeded}, {@code failed}, {@code could not run},
 * {@code interrupted} or {@code not attached} (the run did not end and no runner holds it);
 * {@code exitCode} is the code the run exited (or would exit) with, null while it runs.
 */
final class StatusJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  static String of(Path stateDir, String jobName, List<JournalRecord> records) throws IOException {
    RunStarted started = (RunStarted) records.get(0);
    RunWatch watch = new RunWatch(stateDir, jobName, null, RunWatch.POLL);
    RunEvents events = new RunEvents(started.instances(), line -> { });
    for (JournalRecord r : records) events.accept(r);
    RunWatch.Verdict verdict = watch.verdict(events, started.runId());
    int exitForReport = verdict.exitCode() == null ? 0 : verdict.exitCode();
    ObjectNode report = (ObjectNode) MAPPER.readTree(JsonReport.toJson(RunReport.fromJournal(records, exitForReport, ExitCode.unendedOutcome(exitForReport))));
    ObjectNode out = MAPPER.createObjectNode();
    out.put("state", verdict.state());
    if (verdict.exitCode() == null) {
      out.putNull("exitCode");
    } else {
      out.put("exitCode", verdict.exitCode());
    }
    Long pid = StateLock.readPid(stateDir.resolve(jobName).resolve(StateLock.FILE_NAME));
    if (pid == null || verdict.exitCode() != null) {
      out.putNull("runnerPid");
    } else {
      out.put("runnerPid", pid);
    }
    var p = events.progress();
    out.put("running", p.active());
    out.put("waiting", p.waiting());
    report.remove("exitCode");
    out.setAll(report);
    return MAPPER.writeValueAsString(out);
  }
}
