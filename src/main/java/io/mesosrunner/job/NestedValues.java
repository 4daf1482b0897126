package io.mesosrunner.job;

import static io.mesosrunner.job.YamlNodes.describe;
import static io.mesosrunner.job.YamlNodes.isNull;
import static io.mesosrunner.job.YamlNodes.line;
import static io.mesosrunner.job.YamlNodes.scalar;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Readers of the fields whose value is a list or a mapping ({@code env}, {@code labels},
 * {@code constraints}, {@code uris}, {@code container}). Each reads its items with
 * {@link ScalarValues}, records where each item came from in {@link ValuePositions}, skips a bad
 * item after reporting it, and returns null when the value as a whole is of the wrong kind.
 */
final class NestedValues {

  private final ReadErrors errors;
  private final ValuePositions positions;
  private final ScalarValues scalars;
  private final YamlWalk walk;
  private final EnvSubstitution substitution;

  NestedValues(ReadErrors errors, ValuePositions positions, ScalarValues scalars, YamlWalk walk,
      EnvSubstitution substitution) {
    this.errors = errors;
    this.positions = positions;
    this.scalars = scalars;
    this.walk = walk;
    this.substitution = substitution;
  }

  /** A mapping of strings; with {@code substitute}, {@code ${VAR}} in its values is replaced. */
  Map<String, String> stringMap(String field, Node node, boolean substitute) {
    if (!(node instanceof MappingNode mapping)) return errors.typeError(field, "a mapping of strings", node);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Node> keys = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
        errors.add(keyNode, field + " keys must be strings (got " + describe(keyNode) + ")");
        continue;
      }
      String key = scalar(keyNode);
      Node first = keys.putIfAbsent(key, keyNode);
      if (first != null) {
        errors.add(keyNode, "duplicate key '" + key + "' in " + field + " (first at line " + line(first) + ")");
        continue;
      }
      Node valueNode = tuple.getValueNode();
      String value = scalars.string(field + "." + key, valueNode);
      if (value == null) continue;
      if (substitute) {
        value = substitution.substitute(field + "." + key, value, valueNode);
        if (value == null) continue;
      }
      positions.put(field + "[" + key + "]#key", keyNode);
      positions.put(field + "[" + key + "]", valueNode);
      values.put(key, value);
    }
    return values;
  }

  List<Constraint> constraints(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) {
      return errors.typeError(field, "a list of strings such as 'hostname UNIQUE'", node);
    }
    List<Constraint> values = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String label = field + "[" + i + "]";
      Node item = sequence.getValue().get(i);
      String text = scalars.string(label, item);
      if (text == null) continue;
      Constraint constraint = constraint(label, text, item);
      if (constraint != null) {
        positions.put(label, item);
        values.add(constraint);
      }
    }
    return values;
  }

  /** One constraint, {@code ATTRIBUTE OPERATOR [VALUE]}; errors point at the bad word when they can. */
  private Constraint constraint(String label, String text, Node node) {
    String[] parts = text.strip().split("\\s+", 3);
    if (parts.length < 2) {
      errors.add(node, label + " must be 'ATTRIBUTE OPERATOR [VALUE]', e.g. 'hostname UNIQUE' (got '" + text + "')");
      return null;
    }
    int opAt = text.indexOf(parts[1], text.indexOf(parts[0]) + parts[0].length());
    Constraint.Operator operator;
    try {
      operator = Constraint.Operator.valueOf(parts[1].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(node, opAt, label + " has unknown operator '" + parts[1]
          + "' (expected UNIQUE, CLUSTER, LIKE or UNLIKE; got '" + text + "')");
      return null;
    }
    String value = parts.length == 3 ? parts[2] : null;
    int valueAt = value == null ? 0 : text.indexOf(value, opAt + parts[1].length());
    if (operator == Constraint.Operator.UNIQUE && value != null) {
      errors.add(node, valueAt, label + ": UNIQUE takes no value (got '" + text + "')");
      return null;
    }
    if (operator != Constraint.Operator.UNIQUE && value == null) {
      errors.add(node, opAt, label + ": " + operator + " needs a value (got '" + text + "')");
      return null;
    }
    if (operator == Constraint.Operator.LIKE || operator == Constraint.Operator.UNLIKE) {
      try {
        Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        int index = Math.max(0, Math.min(e.getIndex(), value.length()));
        errors.add(node, valueAt + index, label + " has an invalid regular expression '" + value + "' ("
            + e.getDescription() + " at index " + e.getIndex() + ")");
        return null;
      }
    }
    return new Constraint(parts[0], operator, value);
  }

  /** {@code uris}: each item a string, or a mapping {value, executable, extract} as Mesos's CommandInfo.URI. */
  List<FetchUri> uriList(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) {
      return errors.typeError(field, "a list of strings or {value, executable, extract} mappings", node);
    }
    List<FetchUri> values = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String at = field + "[" + i + "]";
      Node item = sequence.getValue().get(i);
      FetchUri uri = item instanceof MappingNode mapping ? uriMapping(at, mapping) : uriString(at, item);
      if (uri != null) values.add(uri);
    }
    return values;
  }

  private FetchUri uriMapping(String at, MappingNode item) {
    Map<String, Node> parts = walk.fields(item, JobReader.URI_FIELDS, " in " + at).values();
    Node valueNode = parts.get("value");
    if (valueNode == null) {
      errors.add(item, at + " is missing required field 'value'");
      return null;
    }
    String value = scalars.string(at + ".value", valueNode);
    Boolean executable = parts.containsKey("executable") ? scalars.bool(at + ".executable", parts.get("executable")) : Boolean.FALSE;
    Boolean extract = parts.containsKey("extract") ? scalars.bool(at + ".extract", parts.get("extract")) : Boolean.TRUE;
    if (value == null || executable == null || extract == null) return null;
    positions.addUri(at, valueNode);
    return new FetchUri(value, executable, extract);
  }

  private FetchUri uriString(String at, Node item) {
    String value = scalars.string(at, item);
    if (value == null) return null;
    positions.addUri(at, item);
    return FetchUri.of(value);
  }

  /** {@code container}: a mapping with its {@code image}. */
  Container container(String field, Node node) {
    if (!(node instanceof MappingNode mapping)) {
      return errors.typeError(field, "a mapping such as {image: alpine:3.20}", node);
    }
    Map<String, Node> fields = walk.fields(mapping, JobReader.CONTAINER_FIELDS, " in container").values();
    Node image = fields.get("image");
    if (image == null) {
      errors.add(node, "container is missing required field 'image'");
      return null;
    }
    String value = scalars.string("container.image", image);
    if (value == null) return null;
    positions.put("container.image", image);
    return new Container(value);
  }
}
