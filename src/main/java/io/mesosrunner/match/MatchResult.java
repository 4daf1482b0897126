package io.mesosrunner.match;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
   * One line for progress display: {@code 3 placed} when nothing is left, otherwise the number
   * waiting and the most common reason (the first one given on a tie), e.g.
   * {@code 3 waiting: cpus: asked 2, best offer has 1.5}, with {@code (+N other reasons)} when
   * the waiting demands have several.
   */
  public String summary() {
    if (unplaced.isEmpty()) return placements.size() + " placed";
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Unplaced u : unplaced) counts.merge(u.reason(), 1, Integer::sum);
    String top = null;
    int topCount = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > topCount) {
        top = e.getKey();
        topCount = e.getValue();
      }
    }
    int others = counts.size() - 1;
    return unplaced.size() + " waiting: " + top
        + (others == 0 ? "" : " (+" + others + " other reason" + (others == 1 ? "" : "s") + ")");
  }

  /**
   * A demand no offer could take.
   *
   * @param demandId   the demand
   * @param shortfalls the resource shortfalls against the offer that came closest (empty when
   *                   no offer was given, or only constraints stood in the way)
   * @param reason     one line for a human, e.g. {@code no offers} or
   *                   {@code cpus: asked 2, offer has 1.5} or
   *                   {@code mem: asked 4096, best offer has 2048} or
   *                   {@code constraint hostname UNIQUE: all 3 offers' hosts are already used} or
   *                   {@code role data: no offer for this role (offers are for *)} or
   *                   {@code all offers are used up by other instances}; demands of one class
   *                   (identical role, resources, ports, constraints) share one explanation
   */
  public record Unplaced(String demandId, List<Shortfall> shortfalls, String reason) {
    public Unplaced {
      shortfalls = List.copyOf(shortfalls);
    }
  }
}
