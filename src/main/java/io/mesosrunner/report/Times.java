package io.mesosrunner.report;

import java.time.Instant;
import java.time.LocalDate;

/**
 * ISO-8601 instants as the reports hold them, read fast: {@link Instant#parse} costs tens of
 * microseconds, which at 100,000 attempts (three times each) was most of the time to write the
 * page.
 */
final class Times {

  private Times() {}

  /** Milliseconds since the epoch of {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, or of any ISO instant. */
  static long epochMillis(String iso) {
    int n = iso.length();
    if (n >= 20 && iso.charAt(4) == '-' && iso.charAt(7) == '-' && iso.charAt(10) == 'T' && iso.charAt(13) == ':'
        && iso.charAt(16) == ':' && iso.charAt(n - 1) == 'Z') {
      try {
        int year = digits(iso, 0, 4);
        int month = digits(iso, 5, 7);
        int day = digits(iso, 8, 10);
        int hour = digits(iso, 11, 13);
        int minute = digits(iso, 14, 16);
        int second = digits(iso, 17, 19);
        int millis = 0;
        if (n > 20) {
          if (iso.charAt(19) != '.') return Instant.parse(iso).toEpochMilli();
          for (int i = 20, scale = 100; i < n - 1; i++, scale /= 10) {
            int d = iso.charAt(i) - '0';
            if (d < 0 || d > 9) return Instant.parse(iso).toEpochMilli();
            millis += d * scale;
          }
        }
        if (hour > 23 || minute > 59 || second > 59) return Instant.parse(iso).toEpochMilli();
        long days = LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
      } catch (RuntimeException e) {
        return Instant.parse(iso).toEpochMilli();
      }
    }
    return Instant.parse(iso).toEpochMilli();
  }

  /** What {@code Instant.ofEpochMilli(ms).toString()} says, for years 1970 to 9999 without its cost. */
  static String iso(long ms) {
    if (ms < 0 || ms >= 253_402_300_800_000L) return Instant.ofEpochMilli(ms).toString();
    long days = ms / 86_400_000L;
    int inDay = (int) (ms % 86_400_000L);
    LocalDate date = LocalDate.ofEpochDay(days);
    StringBuilder b = new StringBuilder(24);
    b.append(date.getYear()).append('-');
    two(b, date.getMonthValue()).append('-');
    two(b, date.getDayOfMonth()).append('T');
    two(b, inDay / 3_600_000).append(':');
    two(b, inDay / 60_000 % 60).append(':');
    two(b, inDay / 1000 % 60);
    int millis = inDay % 1000;
    if (millis != 0) b.append('.').append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10));
    return b.append('Z').toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) throw new NumberFormatException(s);
      v = v * 10 + d;
    }
    return v;
  }
}
