package io.mesosrunner.match;

import java.util.List;

/** Why a class of demands was left, once per class. */
record Explanation(List<Shortfall> shortfalls, String reason) {
  Explanation {
    shortfalls = List.copyOf(shortfalls); // copied once, so each Unplaced of the class shares it
  }
}
