package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimesTest {

  @Property(tries = 2000)
  void saysWhatInstantSaysAndReadsItBack(@ForAll @LongRange(min = -100_000_000_000L, max = 300_000_000_000_000L) long ms) {
    String iso = Instant.ofEpochMilli(ms).toString();
    assertThat(Times.iso(ms)).isEqualTo(iso);
    assertThat(Times.epochMillis(iso)).isEqualTo(ms);
  }

  @Test
  void readsNanosecondInstantsAsTheSchedulerWritesThemAndOffsetsTheSlowWay() {
    assertThat(Times.epochMillis("2026-12-01T21:32:21.463419084Z")).isEqualTo(Instant.parse("2026-12-01T21:32:21.463Z").toEpochMilli());
    assertThat(Times.epochMillis("2026-12-01T21:32:21+01:00")).isEqualTo(Instant.parse("2026-12-01T20:32:21Z").toEpochMilli());
    assertThat(Times.epochMillis("2026-12-01T21:32:21.4Z")).isEqualTo(Instant.parse("2026-12-01T21:32:21.400Z").toEpochMilli());
  }
}
