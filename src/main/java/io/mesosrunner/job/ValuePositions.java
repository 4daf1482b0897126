package io.mesosrunner.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Where each value read came from, so that a constraint the validator finds on a {@link Job}
 * ({@code cpus must be greater than 0}) is reported at the node it is about.
 *
 * <p>Paths are {@code cpus}, {@code env[FOO]} (a map value), {@code env[FOO]#key} (its key),
 * {@code constraints[0]} (a list item) and {@code container.image} (a nested field).
 */
final class ValuePositions {

  private final Map<String, Node> nodes = new HashMap<>();
  /** The path of each uri read, by its index in the job's list (bad items are skipped, so indexes shift). */
  private final List<String> uriPaths = new ArrayList<>();

  void put(String path, Node node) {
    nodes.put(path, node);
  }

  /** The node at a path, or null when nothing was read there. */
  Node get(String path) {
    return nodes.get(path);
  }

  void addUri(String path, Node node) {
    nodes.put(path, node);
    uriPaths.add(path);
  }

  /** The path of the job's {@code index}th uri. */
  String uriPath(int index) {
    return index < uriPaths.size() ? uriPaths.get(index) : "uris[" + index + "]";
  }
}
