package io.mesosrunner.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * A YAML document as an editor's JSON Schema check sees it: YAML 1.2 core schema values
 * (yaml-language-server reads YAML 1.2), numbers as JSON numbers. Not the loader's code path, so
 * the two can disagree and the agreement tests can see it.
 */
final class YamlToJson {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private YamlToJson() {}

  /** The document as JSON, or null when it is not YAML the editor could read either. */
  static JsonNode convert(String yaml) {
    LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).setAllowNonScalarKeys(true).build();
    Node node = new Compose(settings).composeString(yaml).orElse(null);
    return node == null ? JSON.nullNode() : toJson(node);
  }

  private static JsonNode toJson(Node node) {
    if (node instanceof MappingNode mapping) {
      ObjectNode object = JSON.objectNode();
      for (NodeTuple tuple : mapping.getValue()) {
        // JSON keys are strings; a later duplicate wins, as in JavaScript objects.
        String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "[complex key]";
        object.set(key, toJson(tuple.getValueNode()));
      }
      return object;
    }
    if (node instanceof SequenceNode sequence) {
      ArrayNode array = JSON.arrayNode();
      for (Node item : sequence.getValue()) array.add(toJson(item));
      return array;
    }
    ScalarNode scalar = (ScalarNode) node;
    String text = scalar.getValue();
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) return JSON.nullNode();
    if (tag.equals(Tag.BOOL)) return JSON.booleanNode(Boolean.parseBoolean(text.toLowerCase()));
    if (tag.equals(Tag.INT)) return JSON.numberNode(integer(text));
    if (tag.equals(Tag.FLOAT)) {
      String lower = text.toLowerCase();
      if (lower.endsWith(".inf")) return JSON.numberNode(lower.startsWith("-") ? Double.NEGATIVE_INFINITY
          : Double.POSITIVE_INFINITY);
      if (lower.endsWith(".nan")) return JSON.numberNode(Double.NaN);
      // A JavaScript number: 2.0 is the integer 2, as editors see it.
      BigDecimal value = new BigDecimal(text);
      double d = value.doubleValue();
      if (Double.isInfinite(d)) return JSON.numberNode(d);
      BigDecimal exact = new BigDecimal(d);
      if (exact.stripTrailingZeros().scale() <= 0) return JSON.numberNode(exact.toBigIntegerExact());
      return JSON.numberNode(d);
    }
    return JSON.textNode(text);
  }

  private static BigInteger integer(String text) {
    String t = text.startsWith("+") ? text.substring(1) : text;
    if (t.startsWith("0x")) return new BigInteger(t.substring(2), 16);
    if (t.startsWith("0o")) return new BigInteger(t.substring(2), 8);
    return new BigInteger(t);
  }
}
