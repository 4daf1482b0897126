package io.mesosrunner.job;

import java.util.Comparator;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Questions the readers ask of a single YAML node: its kind, its text, its line, how it reads in a message. */
final class YamlNodes {

  private YamlNodes() {
  }

  static boolean isScalar(Node node, Tag tag) {
    return node instanceof ScalarNode && node.getTag().equals(tag);
  }

  static boolean isNull(Node node) {
    return isScalar(node, Tag.NULL);
  }

  static String scalar(Node node) {
    return ((ScalarNode) node).getValue();
  }

  /** The 1-based line a node starts on. */
  static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }

  /** Whichever of two nodes comes later in the file. */
  static Node later(Node a, Node b) {
    Comparator<Node> byPosition = Comparator.comparingInt((Node n) -> n.getStartMark().map(Mark::getIndex).orElse(0));
    return byPosition.compare(a, b) >= 0 ? a : b;
  }

  /** How a value reads in a message: strings quoted, numbers and booleans as written. */
  static String describe(Node node) {
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    if (isNull(node)) return "null";
    String value = scalar(node);
    if (value.length() > 60) value = value.substring(0, 57) + "...";
    value = value.replace("\n", "\\n");
    return node.getTag().equals(Tag.STR) ? "'" + value + "'" : value;
  }
}
