package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 100,000 attempts in a real browser: the page stays small and quick to draw. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HtmlReportScaleIT {

  @TempDir Path tmp;

  @Test
  void aHundredThousandAttemptsDrawAsAFewThousandBarsWithEveryFailureShown() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.require();
    RunReport big = SyntheticRuns.of(100_000, 10, 20, 7);
    Path page = tmp.resolve("big.html");
    Files.writeString(page, HtmlReport.toHtml(big), StandardCharsets.UTF_8);
    long bytes = Files.size(page);
    long started = System.nanoTime();
    String whole = chromium.dumpDom(page);
    String dom = whole.substring(0, whole.indexOf("<script"));
    long browserMs = (System.nanoTime() - started) / 1_000_000;
    Matcher drawn = Pattern.compile("data-render-ms=\"(\\d+)\"").matcher(dom);
    assertThat(drawn.find()).as("the page's script ran").isTrue();
    long renderMs = Long.parseLong(drawn.group(1));
    long rects = Pattern.compile("<rect class=\"(bar|agg)\"").matcher(dom).results().count();
    long red = Pattern.compile("<rect class=\"(bar|agg)\"[^>]*fill=\"#d62728\"").matcher(dom).results().count();
    long failedAttempts = big.instanceList().stream().flatMap(i -> i.attempts().stream())
        .filter(a -> "TASK_FAILED".equals(a.state())).count();
    System.out.printf("100000 attempts: %d bytes, %d rects (%d red for %d failed attempts), script %d ms, "
        + "chromium start to DOM %d ms%n", bytes, rects, red, failedAttempts, renderMs, browserMs);
    assertThat(bytes).isLessThan(4 << 20);
    assertThat(rects).isBetween(1000L, 20_000L);
    // Failures are never joined with successes: adjacent failures on a lane may share a bar, no more.
    assertThat(red).isGreaterThan(failedAttempts / 2).isLessThanOrEqualTo(failedAttempts);
    assertThat(dom).contains("100000 attempts.");
    // Generous for a loaded CI machine; the measured time is printed above.
    assertThat(renderMs).isLessThan(15_000);
  }
}
