package io.mesosrunner.job;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes of memory and disk, in MiB.
 *
 * <p>A size is a decimal number, optionally followed by a binary unit: {@code B}, {@code KiB},
 * {@code MiB}, {@code GiB} or {@code TiB} (units are case-insensitive, a space before the unit is
 * allowed). A bare number means MiB. Decimal units such as {@code MB} are refused because Mesos
 * counts in MiB and "MB" would be ambiguous. Examples: {@code 512}, {@code 512MiB},
 * {@code 1.5GiB}, {@code 100KiB}. At most 15 digits before the point.
 */
public final class Sizes {

  private static final Pattern SIZE =
      Pattern.compile("([-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))\\s*([A-Za-z]*)");

  /** Most digits before the point: a bound a JSON Schema pattern can state, far above any real size. */
  private static final int MAX_DIGITS = 15;

  private Sizes() {}

  /**
   * Parses a size into MiB.
   *
   * @throws IllegalArgumentException naming the text when it is not a size or has an unknown unit
   */
  public static double parseMib(String text) {
    if (text == null) throw new IllegalArgumentException("size must not be null");
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size: '" + text + "' (expected MiB or a number with a unit, e.g. 512, 512MiB, 2GiB)");
    }
    String digits = m.group(1).replaceFirst("^[-+]", "");
    int point = digits.indexOf('.');
    if ((point < 0 ? digits.length() : point) > MAX_DIGITS) {
      throw new IllegalArgumentException("size is too large: '" + text + "'");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    double perMib = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "", "mib" -> 1.0;
      case "b" -> 1.0 / (1024 * 1024);
      case "kib" -> 1.0 / 1024;
      case "gib" -> 1024.0;
      case "tib" -> 1024.0 * 1024;
      default -> throw new IllegalArgumentException(
          "unknown size unit '" + m.group(2) + "' in '" + text + "' (use B, KiB, MiB, GiB or TiB)");
    };
    double mib = number.doubleValue() * perMib;
    if (!Double.isFinite(mib)) throw new IllegalArgumentException("size is too large: '" + text + "'");
    return mib;
  }

  /** Formats MiB for display in the largest unit that keeps the value readable: {@code 1.5GiB}, {@code 512MiB}. */
  public static String format(double mib) {
    if (!Double.isFinite(mib)) throw new IllegalArgumentException("size must be finite (got " + mib + ")");
    double abs = Math.abs(mib);
    if (abs >= 1024 * 1024) return number(mib / (1024 * 1024)) + "TiB";
    if (abs >= 1024) return number(mib / 1024) + "GiB";
    if (abs >= 1 || abs == 0) return number(mib) + "MiB";
    return number(mib * 1024) + "KiB";
  }

  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
