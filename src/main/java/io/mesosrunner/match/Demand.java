package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.List;

/**
 * What one pending instance needs.
 *
 * @param id          the caller's key for the instance (returned in placements)
 * @param role        the role whose resources it may use
 * @param resources   scalar needs
 * @param ports       how many ports it needs (any numbers)
 * @param constraints placement constraints
 */
public record Demand(String id, String role, Resources resources, int ports, List<Constraint> constraints) {
  public Demand {
    if (ports < 0) throw new IllegalArgumentException("ports (" + ports + ") must be >= 0");
    constraints = List.copyOf(constraints);
  }
}
