package io.mesosrunner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.state.RunReader;
import io.mesosrunner.state.RunView;
import java.io.IOException;

/**
 * {@code runner status JOB --output json}: the run as the JSON report ({@code --report}) has it,
 * from the journal, with where it stands now in front:
 *
 * <pre>
 *   {"state": "running", "exitCode": null, "runnerPid": 4711,
 *    "running": 2, "waiting": 5, ... the report's fields: job, runId, completed, failed, instances ...}
 * </pre>
 *
 * {@code state} and {@code exitCode} are the run's {@link io.mesosrunner.state.RunStatus}, as every
 * command has them; {@code exitCode} is null while it runs.
 */
final class StatusJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  static String of(RunReader.Read read) throws IOException {
    RunView view = read.view();
    ObjectNode report = (ObjectNode) MAPPER.readTree(JsonReport.toJson(RunReport.of(read.fold(), view, t -> null)));
    ObjectNode out = MAPPER.createObjectNode();
    out.put("state", view.status().word());
    if (view.exitCode() == null) {
      out.putNull("exitCode");
    } else {
      out.put("exitCode", view.exitCode());
    }
    if (view.runnerPid() == null) {
      out.putNull("runnerPid");
    } else {
      out.put("runnerPid", view.runnerPid());
    }
    out.put("running", view.active());
    out.put("waiting", view.waiting());
    report.remove("exitCode");
    report.remove("state");
    out.setAll(report);
    return MAPPER.writeValueAsString(out);
  }
}
