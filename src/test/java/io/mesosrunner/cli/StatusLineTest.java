package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.schedule.Progress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusLineTest {

  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  private static Progress progress(int instances, int done, int active, int waiting, int failed, String why) {
    return new Progress(instances, done, active, waiting, failed, done + active + failed, why);
  }

  @Test
  void showsCountsElapsedTimeAndAnEstimateOnceInstancesComplete() {
    StatusLine s = new StatusLine("etl", 2, T0, 0, Style.PLAIN);
    String line = s.render(progress(10, 2, 2, 6, 0, "parallelism (2 running, limit 2)"), T0.plusSeconds(10), 0);
    assertThat(line).isEqualTo("etl: 2/10 done, 2 running, 6 waiting | 10s elapsed, ~40s left"
        + " | at most 2 run at once (parallelism)");
  }

  @Test
  void hasNoEstimateBeforeTheFirstCompletion() {
    StatusLine s = new StatusLine("etl", 4, T0, 0, Style.PLAIN);
    assertThat(s.render(progress(8, 0, 4, 4, 0, "no offers yet"), T0.plusSeconds(75), 0))
        .isEqualTo("etl: 0/8 done, 4 running, 4 waiting | 1m15s elapsed | no offers yet");
  }

  @Test
  void aResumedRunEstimatesFromItsOwnCompletionsOnly() {
    StatusLine s = new StatusLine("etl", 4, T0, 6, Style.PLAIN);
    // 6 were done before this runner started: none of its own yet, so no estimate.
    assertThat(s.render(progress(10, 6, 4, 0, 0, ""), T0.plusSeconds(5), 0)).doesNotContain("left");
    // Then 2 in 10 s: the 2 left take about 10 s more.
    assertThat(s.estimateLeft(progress(10, 8, 2, 0, 0, ""), Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void failedInstancesAreCountedAndNotWaitedFor() {
    StatusLine s = new StatusLine("etl", 4, T0, 0, Style.PLAIN);
    String line = s.render(progress(4, 2, 1, 0, 1, ""), T0.plusSeconds(4), 0);
    assertThat(line).contains("2/4 done, 1 running, 0 waiting, 1 failed", "~2s left");
  }

  @Test
  void otherWaitReasonsAreShownAsTheSchedulerGivesThem() {
    StatusLine s = new StatusLine("etl", 4, T0, 0, Style.PLAIN);
    assertThat(s.render(progress(4, 0, 0, 4, 0, "cpus: asked 4, offer has 2"), T0, 0))
        .endsWith("| cpus: asked 4, offer has 2");
  }

  @Test
  void isCutToTheColumnsGivenWithColourSequencesKeptWholeAndReset() {
    StatusLine s = new StatusLine("etl", 2, T0, 0, Style.COLOUR);
    String full = s.render(progress(10, 2, 2, 6, 0, "no offers yet"), T0.plusSeconds(3), 0);
    assertThat(Style.strip(full).length()).isGreaterThan(40);
    for (int columns = 5; columns <= 40; columns++) {
      String cut = s.render(progress(10, 2, 2, 6, 0, "no offers yet"), T0.plusSeconds(3), columns);
      String visible = Style.strip(cut);
      assertThat(visible).hasSize(columns);
      assertThat(Style.strip(full)).startsWith(visible);
      // No half escape sequence, and colour never leaks past the line.
      assertThat(cut.replaceAll("\033\\[[0-9;]*m", "")).doesNotContain("\033");
      int lastReset = cut.lastIndexOf(Style.RESET);
      int lastColour = cut.replace(Style.RESET, "").lastIndexOf("\033[");
      if (lastColour >= 0) assertThat(lastReset).as(cut).isGreaterThan(-1);
      assertThat(cut.endsWith(Style.RESET) || !endsInsideColour(cut)).as(cut).isTrue();
    }
  }

  private static boolean endsInsideColour(String s) {
    int lastStart = -1;
    int i = 0;
    while ((i = s.indexOf("\033[", i)) >= 0) {
      int m = s.indexOf('m', i);
      lastStart = s.substring(i, m + 1).equals(Style.RESET) ? -1 : i;
      i = m + 1;
    }
    return lastStart >= 0;
  }

  @Test
  void plainStyleWritesNoEscapeSequences() {
    StatusLine s = new StatusLine("etl", 2, T0, 0, Style.PLAIN);
    assertThat(s.render(progress(3, 1, 1, 0, 1, ""), T0, 20)).doesNotContain("\033");
  }

  @Test
  void durationsReadShortly() {
    assertThat(StatusLine.duration(Duration.ofMillis(900))).isEqualTo("0s");
    assertThat(StatusLine.duration(Duration.ofSeconds(59))).isEqualTo("59s");
    assertThat(StatusLine.duration(Duration.ofSeconds(65))).isEqualTo("1m05s");
    assertThat(StatusLine.duration(Duration.ofMinutes(123))).isEqualTo("2h03m");
  }
}
