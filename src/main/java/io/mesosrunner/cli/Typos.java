package io.mesosrunner.cli;

import io.mesosrunner.job.DidYouMean;
import java.util.Collection;
import java.util.Optional;

/** The known word a mistyped command or option most likely meant. */
final class Typos {

  private Typos() {}

  /** The candidate closest to {@code typed}, when it is close enough to be a typo of it. */
  static Optional<String> closest(String typed, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = DidYouMean.distance(typed, c);
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    String core = typed.replaceFirst("^-+", "");
    int allowed = Math.min(2, Math.max(1, core.length() / 3));
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }
}
