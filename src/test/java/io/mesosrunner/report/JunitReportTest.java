package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JunitReportTest {

  private static RunReport.Attempt attempt(int instance, String state, Integer exit, String cause, String end,
      List<String> tail) {
    return new RunReport.Attempt("job." + instance + ".1.r1", 1, "ag", "host", state, exit,
        state.equals("TASK_FAILED") ? "Command exited with status " + exit : null, cause, "2026-01-01T00:00:00Z", end,
        null, tail);
  }

  @Test
  void onlyTheFailedInstanceIsAFailureKilledAndNeverLaunchedAreSkippedWithTheReason() {
    RunReport r = new RunReport("job", "job.yaml", "ab".repeat(32), null, "r1", "local", null, "FAILED", "failed", 1,
        "instance 0 failed", "2026-01-01T00:00:00Z", "2026-01-01T00:00:09Z", 9, 4, 1, 1, 3, List.of(
            new RunReport.Instance(0, "FAILED", 1, 0, List.of(attempt(0, "TASK_FAILED", 7, "FAILED",
                "2026-01-01T00:00:01Z", List.of("loading", "boom: disk <full> & more")))),
            new RunReport.Instance(1, "DONE", 0, 0, List.of(attempt(1, "TASK_FINISHED", 0, null,
                "2026-01-01T00:00:02Z", List.of()))),
            new RunReport.Instance(2, "ABANDONED", 0, 0, List.of(attempt(2, "TASK_KILLED", null, "STOPPED",
                "2026-01-01T00:00:03Z", List.of()))),
            new RunReport.Instance(3, "ABANDONED", 0, 0, List.of())),
        null, List.of());
    String xml = JunitReport.toXml(r);
    assertThat(xml).contains("tests=\"4\" failures=\"1\" errors=\"0\" skipped=\"2\"");
    assertThat(xml).contains("<failure message=\"failed after 1 attempt, last TASK_FAILED exit code 7\">"
        + "Command exited with status 7\nlast lines of stderr of job.0.1.r1:\nloading\nboom: disk &lt;full&gt; &amp; more\n"
        + "</failure>");
    assertThat(xml).contains("name=\"instance 2\" time=\"3.000\"><skipped message=\"killed when the run ended failed: "
        + "instance 0 failed\"");
    assertThat(xml).contains("name=\"instance 3\" time=\"0.000\"><skipped message=\"never launched: the run ended failed: "
        + "instance 0 failed\"");
    assertThat(xml).containsPattern("name=\"instance 1\" time=\"2.000\"></testcase>");
  }

  @Test
  void timesAreSecondsToTheMillisecond() {
    // Two attempts of 0.1 s and 0.697 s: their sum in floating point is 0.7969999999999999.
    RunReport.Attempt first = new RunReport.Attempt("job.0.1.r1", 1, "ag", "host", "TASK_FAILED", 1, null, "FAILED",
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.100Z", null, List.of());
    RunReport.Attempt second = new RunReport.Attempt("job.0.2.r1", 2, "ag", "host", "TASK_FINISHED", 0, null, null,
        "2026-01-01T00:00:01Z", "2026-01-01T00:00:01.697Z", null, List.of());
    RunReport r = new RunReport("job", "job.yaml", "ab".repeat(32), null, "r1", "local", null, "SUCCEEDED", "succeeded", 0,
        null, "2026-01-01T00:00:00Z", "2026-01-01T00:00:02Z", 1.7970000000000002, 1, 1, 0, 2, List.of(
            new RunReport.Instance(0, "DONE", 1, 0, List.of(first, second))),
        null, List.of());
    String xml = JunitReport.toXml(r);
    assertThat(xml).contains("name=\"instance 0\" time=\"0.797\"").contains("time=\"1.797\"")
        .doesNotContainPattern("time=\"[0-9.]{6,}\"");
  }
}
