package io.mesosrunner.job;

import static io.mesosrunner.job.YamlNodes.describe;
import static io.mesosrunner.job.YamlNodes.isNull;
import static io.mesosrunner.job.YamlNodes.line;
import static io.mesosrunner.job.YamlNodes.scalar;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The walk over a job file's YAML nodes that comes before any value is read: the tags allowed
 * anywhere in the file, and the keys of a mapping (the file itself, or a nested section such as
 * {@code container} or a {@code uris} item) checked against the fields that mapping may have.
 */
final class YamlWalk {

  private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
      Tag.MERGE, Tag.MAP, Tag.SEQ);

  /**
   * The fields of one mapping, in file order.
   *
   * @param values    field name to its value node (nulls included)
   * @param keys      field name to the node of its key
   * @param suggested known fields an unknown key was taken for ("did you mean 'cpus'?")
   */
  record Fields(Map<String, Node> values, Map<String, Node> keys, Set<String> suggested) {
  }

  private final ReadErrors errors;

  YamlWalk(ReadErrors errors) {
    this.errors = errors;
  }

  /**
   * Reads a mapping's fields, reporting merge keys and non-string, duplicate and unknown keys.
   *
   * @param where how messages name the mapping after the key ({@code " in container"}); empty at the top
   */
  Fields fields(MappingNode mapping, List<String> known, String where) {
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Node> keys = new HashMap<>();
    Set<String> suggested = new HashSet<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)
          || (keyNode instanceof ScalarNode k && k.getScalarStyle() == ScalarStyle.PLAIN && "<<".equals(k.getValue()))) {
        errors.add(keyNode, "merge keys (<<) are not supported in job files" + where);
        continue;
      }
      if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
        errors.add(keyNode, "field names must be plain strings (got " + describe(keyNode) + ")" + where);
        continue;
      }
      String key = scalar(keyNode);
      Node first = keys.putIfAbsent(key, keyNode);
      if (first != null) {
        errors.add(keyNode, "duplicate field '" + key + "'" + where + " (first at line " + line(first) + ")");
        continue;
      }
      if (!known.contains(key)) {
        Optional<String> suggestion = DidYouMean.suggest(key, known);
        suggestion.ifPresent(suggested::add);
        errors.add(keyNode, "unknown field '" + key + "'" + where
            + suggestion.map(s -> " (did you mean '" + s + "'?)").orElse(""));
        continue;
      }
      values.put(key, tuple.getValueNode());
    }
    keys.keySet().retainAll(values.keySet());
    return new Fields(values, keys, suggested);
  }

  /** Refuses tags that are not plain YAML types (such as {@code !!java.lang.Runtime}), anywhere in the file. */
  void checkTags(Node document) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> todo = new ArrayList<>(List.of(document));
    while (!todo.isEmpty()) {
      Node node = todo.remove(todo.size() - 1);
      if (!seen.add(node)) continue;
      if (!PLAIN_TAGS.contains(node.getTag())) {
        errors.add(node, "tag " + showTag(node.getTag()) + " is not allowed (a job file holds plain YAML values only)");
      }
      if (node instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          todo.add(t.getKeyNode());
          todo.add(t.getValueNode());
        }
      } else if (node instanceof SequenceNode s) {
        todo.addAll(s.getValue());
      }
    }
  }

  private static String showTag(Tag tag) {
    String value = tag.getValue();
    return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
  }
}
