package io.mesosrunner.job;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Suggests the known name closest to a misspelt one, by edit distance and a few common synonyms.
 * Public for its {@link #distance}, which the command line's typo hints use too.
 */
public final class DidYouMean {

  private static final Map<String, String> SYNONYMS = Map.of(
      "memory", "mem",
      "cmd", "command",
      "environment", "env",
      "image", "container",
      "max_parallel", "parallelism",
      "concurrency", "parallelism",
      "count", "instances");

  private DidYouMean() {}

  /** The closest candidate, if it is close enough to be a plausible typo. */
  public static Optional<String> suggest(String unknown, Collection<String> candidates) {
    String lower = unknown.toLowerCase(Locale.ROOT);
    String synonym = SYNONYMS.get(lower);
    if (synonym != null && candidates.contains(synonym)) return Optional.of(synonym);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int d = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    int allowed = Math.min(2, Math.max(1, lower.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Levenshtein distance, counting an adjacent transposition as one edit ("vaildate" is one from "validate"). */
  public static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) d[i][0] = i;
    for (int j = 0; j <= b.length(); j++) d[0][j] = j;
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
