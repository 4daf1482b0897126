package io.mesosrunner.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Instance indexes as short text, with runs folded: {@code 2, 5, 7-9}. Used in messages and in the
 * journal (the instances a run carried over from an earlier one).
 */
public final class IndexRanges {

  private IndexRanges() {}

  /** {@code indexes} (ascending, distinct) as text; "" for none. */
  public static String format(List<Integer> indexes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < indexes.size(); i++) {
      int from = indexes.get(i);
      int to = from;
      while (i + 1 < indexes.size() && indexes.get(i + 1) == to + 1) to = indexes.get(++i);
      if (b.length() > 0) b.append(", ");
      b.append(from);
      if (to > from) b.append(to == from + 1 ? ", " : "-").append(to);
    }
    return b.toString();
  }

  /**
   * The indexes {@link #format} wrote, ascending.
   *
   * @throws IllegalArgumentException when {@code text} is not of that form (the message echoes it)
   */
  public static List<Integer> parse(String text) {
    List<Integer> out = new ArrayList<>();
    if (text.isBlank()) return out;
    for (String part : text.split(",")) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      try {
        int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
        int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
        if (from < 0 || to < from || (!out.isEmpty() && from <= out.get(out.size() - 1))) {
          throw new IllegalArgumentException("index ranges (" + text + ") must be ascending and not negative");
        }
        for (int i = from; i <= to; i++) out.add(i);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("index ranges (" + text + ") must be like 2, 5, 7-9", e);
      }
    }
    return out;
  }
}
