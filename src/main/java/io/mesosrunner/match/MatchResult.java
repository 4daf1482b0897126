package io.mesosrunner.match;

import java.util.List;

/**
 * The matcher's answer: the placements, and for every demand it could not place, why.
 *
 * @param placements in the order the demands were given
 * @param unplaced   the demands left, with a reason
 */
public record MatchResult(List<Placement> placements, List<Unplaced> unplaced) {
  public MatchResult {
    placements = List.copyOf(placements);
    unplaced = List.copyOf(unplaced);
  }

  /**
   * A demand no offer could take.
   *
   * @param demandId   the demand
   * @param shortfalls the resource shortfalls against the offer that came closest (empty when
   *                   no offer was given, or only constraints stood in the way)
   * @param reason     one line for a human, e.g. {@code no offers} or
   *                   {@code cpus: asked 2.0, offer has 1.5} or
   *                   {@code constraint hostname UNIQUE rules out all 3 offers}
   */
  public record Unplaced(String demandId, List<Shortfall> shortfalls, String reason) {
    public Unplaced {
      shortfalls = List.copyOf(shortfalls);
    }
  }
}
