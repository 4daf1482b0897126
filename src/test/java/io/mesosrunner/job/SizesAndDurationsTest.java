package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SizesAndDurationsTest {

  @Test
  void parsesSizesInMib() {
    assertThat(Sizes.parseMib("512")).isEqualTo(512);
    assertThat(Sizes.parseMib("512MiB")).isEqualTo(512);
    assertThat(Sizes.parseMib("2GiB")).isEqualTo(2048);
    assertThat(Sizes.parseMib("1.5GiB")).isEqualTo(1536);
    assertThat(Sizes.parseMib("100KiB")).isEqualTo(100.0 / 1024);
    assertThat(Sizes.parseMib("1 tib")).isEqualTo(1024 * 1024);
    assertThat(Sizes.parseMib("1048576B")).isEqualTo(1);
    assertThat(Sizes.parseMib(" 0.25 ")).isEqualTo(0.25);
  }

  @Test
  void refusesSizesItCannotReadWithTheTextInTheMessage() {
    assertThatThrownBy(() -> Sizes.parseMib("512MB")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown size unit 'MB' in '512MB' (use B, KiB, MiB, GiB or TiB)");
    assertThatThrownBy(() -> Sizes.parseMib("lots")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a size: 'lots' (expected MiB or a number with a unit, e.g. 512, 512MiB, 2GiB)");
    assertThatThrownBy(() -> Sizes.parseMib("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sizes.parseMib("1e999999GiB")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatsSizesInTheLargestReadableUnit() {
    assertThat(Sizes.format(512)).isEqualTo("512MiB");
    assertThat(Sizes.format(1536)).isEqualTo("1.5GiB");
    assertThat(Sizes.format(0)).isEqualTo("0MiB");
    assertThat(Sizes.format(0.5)).isEqualTo("512KiB");
  }

  @Property(tries = 300)
  void sizeFormatRoundTrips(@ForAll @IntRange(min = 0, max = 4_000_000) int mib) {
    assertThat(Sizes.parseMib(Sizes.format(mib))).isCloseTo(mib, org.assertj.core.data.Offset.offset(1e-6));
  }

  @Property(tries = 300)
  void everyUnitScalesTheNumber(@ForAll @IntRange(min = 0, max = 100_000) int n) {
    assertThat(Sizes.parseMib(n + "GiB")).isEqualTo(n * 1024.0);
    assertThat(Sizes.parseMib(n + "KiB")).isEqualTo(n / 1024.0);
    assertThat(Sizes.parseMib(String.valueOf(n))).isEqualTo(n);
  }

  @Test
  void parsesDurations() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("2h30m")).isEqualTo(Duration.ofMinutes(150));
    assertThat(Durations.parse("1d2h")).isEqualTo(Duration.ofHours(26));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("1m0.25s")).isEqualTo(Duration.ofMillis(60_250));
  }

  @Test
  void refusesDurationsItCannotReadWithTheTextInTheMessage() {
    String hint = " (use a number with a unit: ms, s, m, h or d, e.g. 30s, 10m, 2h30m)";
    assertThatThrownBy(() -> Durations.parse("30")).hasMessage("not a duration: '30'" + hint);
    assertThatThrownBy(() -> Durations.parse("-5s")).hasMessage("not a duration: '-5s'" + hint);
    assertThatThrownBy(() -> Durations.parse("10 m")).hasMessage("not a duration: '10 m'" + hint);
    assertThatThrownBy(() -> Durations.parse("")).hasMessage("not a duration: ''" + hint);
    assertThatThrownBy(() -> Durations.parse("30s10m"))
        .hasMessage("not a duration: '30s10m' (units must go from largest to smallest, each at most once)");
    assertThatThrownBy(() -> Durations.parse("1h1h"))
        .hasMessage("not a duration: '1h1h' (units must go from largest to smallest, each at most once)");
    assertThatThrownBy(() -> Durations.parse("99999999999999999999d"))
        .hasMessage("duration is too long: '99999999999999999999d'");
  }

  @Test
  void formatsDurationsTheWayTheyAreWritten() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofMinutes(150))).isEqualTo("2h30m");
    assertThat(Durations.format(Duration.ofSeconds(65))).isEqualTo("1m5s");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofHours(49))).isEqualTo("49h");
    assertThat(Durations.format(Duration.ofSeconds(-30))).isEqualTo("-30s");
  }

  @Property(tries = 500)
  void durationFormatRoundTrips(@ForAll @LongRange(min = 0, max = 400L * 24 * 3600 * 1000) long millis) {
    Duration duration = Duration.ofMillis(millis);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }

  @Property(tries = 200)
  void durationWithNanosRoundTrips(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 4) long nanos) {
    Duration duration = Duration.ofNanos(nanos);
    assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
  }
}
