package io.mesosrunner.match;

import java.util.List;

/**
 * One demand placed on one offer, with the exact resources and port numbers it takes.
 */
public record Placement(String demandId, Offer offer, Resources resources, List<Long> ports) {
  public Placement {
    ports = List.copyOf(ports);
  }
}
