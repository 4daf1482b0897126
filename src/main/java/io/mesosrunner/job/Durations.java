package io.mesosrunner.job;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations written the Go way: one or more {@code <number><unit>} parts, largest unit first,
 * units {@code d}, {@code h}, {@code m}, {@code s}, {@code ms}. Numbers may have a fraction.
 * Examples: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2h30m}, {@code 1.5s}.
 * Each number has at most 9 digits before the point and at most 9 after it (6 for {@code ms}).
 * Negative durations are refused.
 */
public final class Durations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|d|h|m|s)");
  private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
  private static final long[] NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
      1_000_000_000L, 1_000_000L};
  private static final int MS = 4;
  private static final int MAX_DIGITS = 9;
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);
  private static final String HINT = " (use a number with a unit: ms, s, m, h or d, e.g. 30s, 10m, 2h30m)";

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException echoing the text when it is not a duration
   */
  public static Duration parse(String text) {
    if (text == null) throw new IllegalArgumentException("duration must not be null");
    String s = text.strip();
    if (s.isEmpty()) throw new IllegalArgumentException("not a duration: '" + text + "'" + HINT);
    Matcher m = PART.matcher(s);
    int at = 0;
    int lastUnit = -1;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < s.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException("not a duration: '" + text + "'" + HINT);
      }
      int unit = unitIndex(m.group(2));
      if (unit <= lastUnit) {
        throw new IllegalArgumentException(
            "not a duration: '" + text + "' (units must go from largest to smallest, each at most once)");
      }
      lastUnit = unit;
      String number = m.group(1);
      int point = number.indexOf('.');
      int whole = point < 0 ? number.length() : point;
      int fraction = point < 0 ? 0 : number.length() - point - 1;
      // Bounds a JSON Schema pattern can state too: every such duration fits, and any non-zero digit is at least 1ns.
      if (whole > MAX_DIGITS) throw new IllegalArgumentException("duration is too long: '" + text + "'");
      if (fraction > (unit == MS ? MAX_DIGITS - 3 : MAX_DIGITS)) {
        throw new IllegalArgumentException("not a duration: '" + text + "' (at most nanosecond precision: "
            + MAX_DIGITS + " digits after the point, 6 for ms)");
      }
      nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS[unit])));
      at = m.end();
    }
    BigInteger[] secondsAndNanos =
        nanos.setScale(0, RoundingMode.DOWN).toBigInteger().divideAndRemainder(NANOS_PER_SECOND);
    if (secondsAndNanos[0].bitLength() > 62) {
      throw new IllegalArgumentException("duration is too long: '" + text + "'");
    }
    return Duration.ofSeconds(secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValueExact());
  }

  /**
   * Formats a duration the way {@link #parse} reads it: {@code 2h30m}, {@code 1m5s},
   * {@code 1.5s}, {@code 500ms}, {@code 0s}. Hours are not folded into days. A negative
   * duration is shown with a leading '-'.
   */
  public static String format(Duration duration) {
    if (duration.isZero()) return "0s";
    if (duration.isNegative()) return "-" + format(duration.negated());
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    if (hours > 0) out.append(hours).append('h');
    if (minutes > 0) out.append(minutes).append('m');
    BigDecimal seconds = BigDecimal.valueOf(duration.toSecondsPart())
        .add(BigDecimal.valueOf(duration.toNanosPart(), 9));
    if (seconds.signum() != 0) {
      if (out.length() == 0 && duration.toSecondsPart() == 0) {
        out.append(plain(seconds.movePointRight(3))).append("ms");
      } else {
        out.append(plain(seconds)).append('s');
      }
    }
    return out.toString();
  }

  private static String plain(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static int unitIndex(String unit) {
    for (int i = 0; i < UNITS.length; i++) {
      if (UNITS[i].equals(unit)) return i;
    }
    throw new IllegalStateException("unit pattern and unit table disagree on '" + unit + "'");
  }
}
