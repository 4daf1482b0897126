package io.mesosrunner.match;

import java.util.List;
import java.util.Map;

/**
 * A resource offer, as our own value (not a protobuf). The cluster adapters translate their
 * offers into this.
 *
 * @param id         the offer id, unique while the offer is outstanding
 * @param agentId    the agent the resources are on
 * @param hostname   the agent's host name (the {@code hostname} constraint attribute)
 * @param role       the role the offer is allocated to; only demands of this role may use it
 * @param resources  the scalar resources usable by that role
 * @param ports      the port ranges usable by that role
 * @param attributes the agent's attributes (text values), for constraints
 */
public record Offer(
    String id,
    String agentId,
    String hostname,
    String role,
    Resources resources,
    List<PortRange> ports,
    Map<String, String> attributes) {

  public Offer {
    ports = List.copyOf(ports);
    attributes = Map.copyOf(attributes);
  }
}
