package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesosrunner.report.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report of a real run on the local cluster, opened in headless Chromium. */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HtmlReportBrowserIT {

  private static final String FAILED_COLOUR = "#d62728";

  @TempDir Path tmp;

  @Test
  void aFanOutWithAFailureDrawsEveryAttemptAndExplainsTheFailedOne() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    Path job = Files.writeString(tmp.resolve("shards.yaml"), """
        name: shards
        command: 'if [ "$RUNNER_INSTANCE" = 2 ]; then echo "shard 2: input truncated" >&2; exit 3; fi; sleep 0.3'
        cpus: 0.1
        mem: 16
        instances: 4
        retries: 1
        """);
    Path html = tmp.resolve("run.html");
    Path json = tmp.resolve("run.json");
    Cli.run(job.toString(), "--quiet", "--state-dir", tmp.resolve("state").toString(), "--html", html.toString(),
        "--report", json.toString()).exitedWith(1);
    JsonNode report = new ObjectMapper().readTree(json.toFile());
    int attempts = report.get("attempts").asInt();
    assertThat(report.get("instances").get(2).get("attempts")).hasSize(2);

    String dom = chromium.dumpDom(html);
    assertDrawn(dom, attempts, report);

    // The same page, rebuilt from the journal.
    Path rebuilt = tmp.resolve("rebuilt.html");
    Cli.run("report", job.toString(), "--state-dir", tmp.resolve("state").toString(), "--html", rebuilt.toString())
        .exitedWith(0);
    assertDrawn(chromium.dumpDom(rebuilt), attempts, report);

    Path png = tmp.resolve("run.png");
    chromium.screenshot(html, png, 1220, 760);
    assertThat(Files.size(png)).isGreaterThan(10_000);
  }

  private static void assertDrawn(String page, int attempts, JsonNode report) {
    // What was drawn, without the data and the script's own text.
    String dom = page.substring(0, page.indexOf("<script"));
    List<String> bars = Pattern.compile("<rect class=\"bar\"[^>]*>").matcher(dom).results().map(m -> m.group()).toList();
    assertThat(bars).hasSize(attempts);
    List<String> failed = bars.stream().filter(b -> b.contains("fill=\"" + FAILED_COLOUR + "\"")).toList();
    assertThat(failed).hasSize(2);
    // The failed instance's second attempt: its tooltip names it and shows its stderr.
    Matcher title = Pattern.compile("<rect class=\"bar\"[^>]*fill=\"" + FAILED_COLOUR + "\"><title>(instance 2, attempt 2[^<]*)"
        + "</title>").matcher(dom);
    assertThat(title.find()).as("a failed bar with the tooltip of instance 2 attempt 2").isTrue();
    assertThat(title.group(1)).contains("task shards.2.2.", "state TASK_FAILED (failed)", "exit code 3",
        "stderr:\nshard 2: input truncated");
    // Its retry is linked to the first attempt.
    assertThat(Pattern.compile("<path class=\"retry\"").matcher(dom).results().count()).isEqualTo(1);
    // The first failure is shown in the details panel, the summary counts are the report's.
    assertThat(dom).contains("<pre id=\"details\">instance 2, attempt 1\n");
    assertThat(dom).contains("id=\"s-attempts\">" + attempts + "<", "id=\"s-failed\">1<", "id=\"s-completed\">3<",
        "id=\"s-instances\">4<", "id=\"s-failed-attempts\">2<");
    assertThat(dom).contains("id=\"outcome\" class=\"outcome-FAILED\">failed<");
    assertThat(dom).containsPattern("<table class=\"failed\" id=\"failed\">(?s).*<td>2</td><td>2 \\(2 failed, 0 lost\\)</td>"
        + "<td>TASK_FAILED</td><td>3</td>.*shard 2: input truncated");
    // The utilisation strip was drawn from samples.
    assertThat(dom).contains("cpus in use").containsPattern("<rect class=\"u\"");
    assertThat(dom).containsPattern("data-render-ms=\"\\d+\"");
    assertThat(report.get("utilisation").size()).isPositive();
  }
}
