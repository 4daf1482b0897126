package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

  private static RunReport small(String stderr) {
    List<RunReport.Attempt> a0 = List.of(
        new RunReport.Attempt("j.0.1.r", 1, "ag", "host", "TASK_FAILED", 3, "Command exited with status 3", "FAILED",
            "2026-01-01T00:00:01Z", "2026-01-01T00:00:02Z", null, List.of(stderr)),
        new RunReport.Attempt("j.0.2.r", 2, "ag", "host", "TASK_FAILED", 3, "Command exited with status 3", "FAILED",
            "2026-01-01T00:00:03Z", "2026-01-01T00:00:04Z", null, List.of(stderr)));
    List<RunReport.Attempt> a1 = List.of(new RunReport.Attempt("j.1.1.r", 1, "ag", "host", "TASK_FINISHED", 0, null,
        null, "2026-01-01T00:00:01Z", "2026-01-01T00:00:05Z", null, List.of()));
    return new RunReport("j</script>", "j.yaml", "ab".repeat(32), null, "r", "local", null, "FAILED", "failed", 1, "instance 0 failed",
        "2026-01-01T00:00:00Z", "2026-01-01T00:00:06Z", 6.0, 2, 1, 1, 3,
        List.of(new RunReport.Instance(0, "FAILED", 2, 0, a0), new RunReport.Instance(1, "DONE", 0, 0, a1)), 0.1,
        List.of(new RunReport.Sample("2026-01-01T00:00:00Z", 0, 2, 0, 2, "no offers yet")));
  }

  @Test
  void textThatCouldEndTheScriptIsEscapedInTheData() {
    String html = HtmlReport.toHtml(small("</script><script>alert(1)</script> <!-- \u2028"));
    assertThat(Pattern.compile("</script>").matcher(html).results().count()).isEqualTo(2);
    assertThat(html).doesNotContain("<!-- ").contains("\\u003c/script>\\u003cscript>alert(1)");
    assertThat(html).contains("<h1>j&lt;/script&gt;: ");
  }

  @Test
  void summaryAndFailedTableAreInThePageWithoutScript() {
    String html = HtmlReport.toHtml(small("disk full"));
    assertThat(html).contains("id=\"s-attempts\">3<", "id=\"s-failed\">1<", "id=\"s-completed\">1<",
        "id=\"s-failed-attempts\">2<", "id=\"s-losses\">0<");
    assertThat(html).containsPattern("<table class=\"failed\" id=\"failed\">(?s).*<td>0</td><td>2 \\(2 failed, 0 lost\\)</td>"
        + "<td>TASK_FAILED</td><td>3</td><td>host</td><td><pre>Command exited with status 3\ndisk full\n");
  }

  @Test
  void thePageLoadsNothing() {
    String html = HtmlReport.toHtml(small("x"));
    assertThat(html).doesNotContainPattern("(?i)\\s(src|href)\\s*=");
    assertThat(html).doesNotContainPattern("(?i)(fetch|XMLHttpRequest|import)\\s*\\(");
    assertThat(html).contains("Content-Security-Policy\" content=\"default-src 'none'");
  }

  @Test
  void outcomesAreColouredByStateAndCause() {
    RunReport.Attempt timedOut = new RunReport.Attempt("t", 1, "a", null, "TASK_KILLED", null, null, "TIMED_OUT",
        null, null, null, null);
    RunReport.Attempt stopped = new RunReport.Attempt("t", 1, "a", null, "TASK_KILLED", null, null, "STOPPED",
        null, null, null, null);
    RunReport.Attempt gone = new RunReport.Attempt("t", 1, "a", null, "TASK_GONE", null, null, null, null, null, null, null);
    RunReport.Attempt unknown = new RunReport.Attempt("t", 1, "a", null, null, null, null, null, null, null, null, null);
    assertThat(HtmlReport.outcome(timedOut)).isEqualTo(HtmlReport.FAILED);
    assertThat(HtmlReport.outcome(stopped)).isEqualTo(HtmlReport.KILLED);
    assertThat(HtmlReport.outcome(gone)).isEqualTo(HtmlReport.LOST);
    assertThat(HtmlReport.outcome(unknown)).isEqualTo(HtmlReport.RUNNING);
  }

  @Test
  void aHundredThousandAttemptsStayUnderFourMegabytes() {
    RunReport big = SyntheticRuns.of(100_000, 10, 20, 1);
    long t = System.nanoTime();
    String html = HtmlReport.toHtml(big);
    long ms = (System.nanoTime() - t) / 1_000_000;
    int bytes = html.getBytes(StandardCharsets.UTF_8).length;
    System.out.printf("100000 attempts: %d bytes of HTML, written in %d ms%n", bytes, ms);
    assertThat(big.attempts()).isEqualTo(100_000);
    assertThat(bytes).isLessThan(4 << 20);
  }
}
