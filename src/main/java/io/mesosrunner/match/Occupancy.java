package io.mesosrunner.match;

import java.util.Map;

/**
 * Where an instance of the job already runs (staging or running), for constraints such as
 * {@code hostname UNIQUE}.
 */
public record Occupancy(String hostname, Map<String, String> attributes) {
  public Occupancy {
    attributes = Map.copyOf(attributes);
  }
}
