package io.mesosrunner.job;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.PatternSyntaxException;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns the YAML node tree of one job file into a {@link Job}, collecting every error with the
 * position of the node it is about. One instance reads one file.
 *
 * <p>Why one class of this length: it is one field reader per job field, each a few lines, in
 * the order of the reference table, sharing the error list and the position helpers; the
 * size grows with the number of fields, not with entangled logic.
 */
final class JobReader {

  static final List<String> FIELDS = List.of("version", "name", "command", "cpus", "mem", "disk", "gpus",
      "ports", "instances", "parallelism", "retries", "on_failure", "retry_on_exit", "no_retry_exit", "timeout", "deadline", "env", "constraints", "role",
      "user", "uris", "container", "labels");
  static final List<String> REQUIRED = List.of("name", "command", "cpus", "mem");
  static final List<String> CONTAINER_FIELDS = List.of("image");

  private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL,
      Tag.MERGE, Tag.MAP, Tag.SEQ);

  /** Record component name to the field name users write, where they differ. */
  private static final Map<String, String> FIELD_OF_COMPONENT = Map.of(
      "memMb", "mem", "diskMb", "disk", "onFailure", "on_failure",
      "retryOnExit", "retry_on_exit", "noRetryExit", "no_retry_exit");

  private final String fileName;
  private final Map<String, String> environment;
  private final List<JobError> errors = new ArrayList<>();
  /** Field path ({@code cpus}, {@code env[FOO]}, {@code env[FOO]#key}, {@code uris[0]}, {@code container.image}) to its node. */
  private final Map<String, Node> nodes = new HashMap<>();
  /** Top-level field name to the node of its key. */
  private final Map<String, Node> keyNodes = new HashMap<>();
  /** Fields whose value could not be read at all; their constraint violations would only repeat that. */
  private final Set<String> failed = new HashSet<>();
  /** Fields an unknown field was taken for; "did you mean 'cpus'?" already says they are missing. */
  private final Set<String> suggested = new HashSet<>();
  private Node root;

  JobReader(String fileName, Map<String, String> environment) {
    this.fileName = fileName;
    this.environment = environment;
  }

  Job read(Node document) throws JobFileException {
    if (document == null) {
      error(null, "file is empty (a job file is a mapping with at least name, command, cpus and mem)");
      throw failure();
    }
    root = document;
    checkTags(document);
    if (!(document instanceof MappingNode mapping)) {
      error(document, "a job file must be a mapping of fields (got " + describe(document) + ")");
      throw failure();
    }
    Map<String, Node> fields = fields(mapping, FIELDS, "");
    for (String required : REQUIRED) {
      if (!fields.containsKey(required)) {
        if (!suggested.contains(required)) error(mapping, "missing required field '" + required + "'");
        failed.add(required);
      } else if (isNull(fields.get(required))) {
        error(fields.get(required), "missing value for required field '" + required + "'");
        failed.add(required);
      }
    }
    fields.values().removeIf(JobReader::isNull);

    Node versionNode = fields.get("version");
    if (versionNode != null && !BigDecimal.ONE.equals(stripped(numeric(versionNode)))) {
      error(versionNode, "version must be 1 (got " + describe(versionNode) + ")");
    }
    String name = optional(fields, "name", this::string, null);
    Command command = optional(fields, "command", this::command, null);
    double cpus = optional(fields, "cpus", this::number, 1.0);
    double mem = optional(fields, "mem", this::size, 1.0);
    double disk = optional(fields, "disk", this::size, 0.0);
    int gpus = optional(fields, "gpus", this::whole, 0);
    int ports = optional(fields, "ports", this::whole, 0);
    int instances = optional(fields, "instances", this::whole, 1);
    // Unset, parallelism is instances; a bad instances must not be reported a second time as a parallelism the file never set.
    if (!fields.containsKey("parallelism")) failed.add("parallelism");
    int parallelism = optional(fields, "parallelism", this::whole, instances);
    int retries = optional(fields, "retries", this::whole, 3);
    OnFailure onFailure = optional(fields, "on_failure", this::onFailure, OnFailure.STOP);
    List<Integer> retryOnExit = optional(fields, "retry_on_exit", this::exitCodes, List.of());
    List<Integer> noRetryExit = optional(fields, "no_retry_exit", this::exitCodes, List.of());
    if (fields.containsKey("retry_on_exit") && fields.containsKey("no_retry_exit")) {
      Node later = later(keyNodes.get("retry_on_exit"), keyNodes.get("no_retry_exit"));
      Node earlier = later == keyNodes.get("retry_on_exit") ? keyNodes.get("no_retry_exit") : keyNodes.get("retry_on_exit");
      error(later, "retry_on_exit and no_retry_exit cannot both be set (the other is at line " + line(earlier)
          + "; retry_on_exit lists the only codes retried, no_retry_exit the codes never retried)");
    }
    Duration timeout = optional(fields, "timeout", this::duration, null);
    Duration deadline = optional(fields, "deadline", this::duration, null);
    Map<String, String> env = optional(fields, "env", (f, n) -> stringMap(f, n, true), Map.of());
    List<Constraint> constraints = optional(fields, "constraints", this::constraints, List.of());
    String role = optional(fields, "role", this::string, "*");
    String user = optional(fields, "user", this::string, null);
    List<String> uris = optional(fields, "uris", this::stringList, List.of());
    Container container = optional(fields, "container", this::container, null);
    Map<String, String> labels = optional(fields, "labels", (f, n) -> stringMap(f, n, false), Map.of());

    Job job = new Job(name, command, cpus, mem, disk, gpus, ports, instances, parallelism, retries, timeout,
        deadline, env, constraints, role, user, uris, container, labels, onFailure, retryOnExit, noRetryExit);
    validate(job);
    if (!errors.isEmpty()) throw failure();
    return job;
  }

  // ---- structure

  /** Reads a mapping's fields, reporting non-string, duplicate and unknown keys. */
  private Map<String, Node> fields(MappingNode mapping, List<String> known, String where) {
    Map<String, Node> values = new LinkedHashMap<>();
    Map<String, Node> keys = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (keyNode.getTag().equals(Tag.MERGE)
          || (keyNode instanceof ScalarNode k && k.getScalarStyle() == ScalarStyle.PLAIN && "<<".equals(k.getValue()))) {
        error(keyNode, "merge keys (<<) are not supported in job files" + where);
        continue;
      }
      if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
        error(keyNode, "field names must be plain strings (got " + describe(keyNode) + ")" + where);
        continue;
      }
      String key = scalar(keyNode);
      Node first = keys.putIfAbsent(key, keyNode);
      if (first != null) {
        error(keyNode, "duplicate field '" + key + "'" + where + " (first at line " + line(first) + ")");
        continue;
      }
      if (!known.contains(key)) {
        Optional<String> suggestion = DidYouMean.suggest(key, known);
        if (where.isEmpty()) suggestion.ifPresent(suggested::add);
        error(keyNode, "unknown field '" + key + "'" + where
            + suggestion.map(s -> " (did you mean '" + s + "'?)").orElse(""));
        continue;
      }
      values.put(key, tuple.getValueNode());
      if (where.isEmpty()) keyNodes.put(key, keyNode);
    }
    return values;
  }

  private static Node later(Node a, Node b) {
    Comparator<Node> byPosition = Comparator.comparingInt((Node n) -> n.getStartMark().map(Mark::getIndex).orElse(0));
    return byPosition.compare(a, b) >= 0 ? a : b;
  }

  /** Refuses tags that are not plain YAML types (such as {@code !!java.lang.Runtime}), anywhere in the file. */
  private void checkTags(Node document) {
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> todo = new ArrayList<>(List.of(document));
    while (!todo.isEmpty()) {
      Node node = todo.remove(todo.size() - 1);
      if (!seen.add(node)) continue;
      if (!PLAIN_TAGS.contains(node.getTag())) {
        error(node, "tag " + showTag(node.getTag()) + " is not allowed (a job file holds plain YAML values only)");
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

  // ---- field readers; each returns null after reporting an error

  private interface FieldReader<T> {
    T read(String field, Node node);
  }

  private <T> T optional(Map<String, Node> fields, String field, FieldReader<T> reader, T fallback) {
    Node node = fields.get(field);
    if (node == null) return fallback;
    nodes.put(field, node);
    T value = reader.read(field, node);
    if (value == null) {
      failed.add(field);
      return fallback;
    }
    return value;
  }

  private String string(String field, Node node) {
    if (node instanceof ScalarNode && !isNull(node)) return scalar(node);
    return typeError(field, "a string", node);
  }

  private Double number(String field, Node node) {
    BigDecimal value = numeric(node);
    if (value != null) {
      double number = value.doubleValue();
      // 1.0e+400 overflows to infinity, which no resource amount may be.
      return Double.isFinite(number) ? number : typeError(field, "a finite number", node);
    }
    if (isScalar(node, Tag.FLOAT)) return typeError(field, "a finite number", node);
    if (isScalar(node, Tag.INT)) return typeError(field, "a decimal number", node);
    return typeError(field, "a number" + underscoreHint(node), node);
  }

  private Integer whole(String field, Node node) {
    BigDecimal value = numeric(node);
    if (value == null) {
      if (isScalar(node, Tag.INT)) return typeError(field, "a decimal whole number", node);
      return typeError(field, "a whole number" + underscoreHint(node), node);
    }
    if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
      return typeError(field, "a whole number", node);
    }
    if (value.compareTo(INT_MIN) < 0 || value.compareTo(INT_MAX) > 0) {
      error(node, field + " is out of range (got " + describe(node) + ")");
      return null;
    }
    return value.intValueExact();
  }

  private static BigDecimal stripped(BigDecimal value) {
    return value == null ? null : value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }

  private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
  /** Longer numbers are out of any range here; parsing them would only cost time. */
  private static final int MAX_NUMBER_LENGTH = 400;

  /**
   * The exact value of a YAML 1.2 core schema number written in decimal: integers and floats
   * ({@code 2.0}, {@code 1e3}); null for anything else, {@code .inf}, {@code .nan} and the
   * {@code 0x}/{@code 0o} forms included (a count or size written in hex or octal is more likely
   * a mistake than meant). {@code 0777} is decimal 777, as YAML 1.2 reads it.
   */
  private static BigDecimal numeric(Node node) {
    boolean integer = isScalar(node, Tag.INT);
    if (!integer && !isScalar(node, Tag.FLOAT)) return null;
    String text = scalar(node);
    if (text.length() > MAX_NUMBER_LENGTH) return integer ? new BigDecimal("1e" + MAX_NUMBER_LENGTH) : null;
    try {
      if (text.startsWith("0x") || text.startsWith("0o")) return null;
      if (text.toLowerCase(Locale.ROOT).matches("[-+]?\\.(inf|nan)|\\.nan")) return null;
      BigDecimal value = new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
      // An exponent such as 1e999999999 is out of every range here; keep it cheap to compare.
      return value.precision() - value.scale() > MAX_NUMBER_LENGTH ? new BigDecimal("1e" + MAX_NUMBER_LENGTH) : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** YAML 1.2 reads 1_000 as text; say so, since YAML 1.1 and some tools read it as a number. */
  private static String underscoreHint(Node node) {
    if (node instanceof ScalarNode scalar && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && scalar.getValue().matches("[-+]?[0-9][0-9_]*(\\.[0-9_]*)?") && scalar.getValue().contains("_")) {
      return " (YAML 1.2 reads a number with '_' as text: write " + scalar.getValue().replace("_", "") + ")";
    }
    return "";
  }

  private OnFailure onFailure(String field, Node node) {
    if (node instanceof ScalarNode && !isNull(node)) {
      for (OnFailure value : OnFailure.values()) {
        if (value.fileValue().equals(scalar(node))) return value;
      }
    }
    return typeError(field, "'stop' or 'continue'", node);
  }

  /** A non-empty list of distinct exit codes 1..255. */
  private List<Integer> exitCodes(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) return typeError(field, "a list of exit codes such as [1, 75]", node);
    if (sequence.getValue().isEmpty()) {
      error(node, field + " must list at least one exit code (to retry nothing, set retries: 0)");
      return null;
    }
    List<Integer> codes = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String label = field + "[" + i + "]";
      Node item = sequence.getValue().get(i);
      BigDecimal exact = stripped(numeric(item));
      BigInteger code = exact == null || exact.scale() > 0 ? null : exact.toBigIntegerExact();
      if (code == null) {
        typeError(label, "an exit code (a whole number from 1 to 255)", item);
        ok = false;
      } else if (code.signum() == 0) {
        error(item, label + " is 0, which is success and never retried");
        ok = false;
      } else if (code.signum() < 0 || code.compareTo(BigInteger.valueOf(255)) > 0) {
        error(item, label + " must be an exit code from 1 to 255 (got " + describe(item) + ")");
        ok = false;
      } else if (codes.contains(code.intValue())) {
        error(item, label + " repeats exit code " + code);
        ok = false;
      } else {
        codes.add(code.intValue());
      }
    }
    return ok ? codes : null;
  }

  private Double size(String field, Node node) {
    if (isScalar(node, Tag.INT) || isScalar(node, Tag.FLOAT)) return number(field, node);
    if (isScalar(node, Tag.STR)) {
      String hint = underscoreHint(node);
      if (!hint.isEmpty()) return typeError(field, "a number of MiB or a size such as 512MiB" + hint, node);
      try {
        return Sizes.parseMib(scalar(node));
      } catch (IllegalArgumentException e) {
        error(node, field + ": " + e.getMessage());
        return null;
      }
    }
    return typeError(field, "a number of MiB or a size such as 512MiB or 2GiB", node);
  }

  private Duration duration(String field, Node node) {
    if (isScalar(node, Tag.STR)) {
      try {
        return Durations.parse(scalar(node));
      } catch (IllegalArgumentException e) {
        error(node, field + ": " + e.getMessage());
        return null;
      }
    }
    return typeError(field, "a duration with a unit, such as 30s, 10m or 2h30m", node);
  }

  private Command command(String field, Node node) {
    if (node instanceof ScalarNode) {
      String line = scalar(node);
      if (line.isBlank()) {
        error(node, "command must not be empty");
        return null;
      }
      return Command.shell(line);
    }
    if (node instanceof SequenceNode sequence) {
      if (sequence.getValue().isEmpty()) {
        error(node, "command must not be an empty list");
        return null;
      }
      List<String> argv = new ArrayList<>();
      for (int i = 0; i < sequence.getValue().size(); i++) {
        String arg = string(field + "[" + i + "]", sequence.getValue().get(i));
        if (arg == null) return null;
        argv.add(arg);
      }
      if (argv.get(0).isEmpty()) {
        error(sequence.getValue().get(0), "command[0] (the program) must not be empty");
        return null;
      }
      return Command.argv(argv);
    }
    return typeError(field, "a string or a list of strings", node);
  }

  private List<String> stringList(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) return typeError(field, "a list of strings", node);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      Node item = sequence.getValue().get(i);
      String value = string(field + "[" + i + "]", item);
      if (value != null) {
        nodes.put(field + "[" + i + "]", item);
        values.add(value);
      }
    }
    return values;
  }

  private Map<String, String> stringMap(String field, Node node, boolean substitute) {
    if (!(node instanceof MappingNode mapping)) return typeError(field, "a mapping of strings", node);
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, Node> keys = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode) || isNull(keyNode)) {
        error(keyNode, field + " keys must be strings (got " + describe(keyNode) + ")");
        continue;
      }
      String key = scalar(keyNode);
      Node first = keys.putIfAbsent(key, keyNode);
      if (first != null) {
        error(keyNode, "duplicate key '" + key + "' in " + field + " (first at line " + line(first) + ")");
        continue;
      }
      Node valueNode = tuple.getValueNode();
      String value = string(field + "." + key, valueNode);
      if (value == null) continue;
      if (substitute) {
        value = substitute(field + "." + key, value, valueNode);
        if (value == null) continue;
      }
      nodes.put(field + "[" + key + "]#key", keyNode);
      nodes.put(field + "[" + key + "]", valueNode);
      values.put(key, value);
    }
    return values;
  }

  /**
   * Replaces {@code ${VAR}} from the environment and {@code ${VAR:-default}} with the default
   * when VAR is unset or empty (the default is text up to the first {@code }}, not substituted
   * again); {@code $${} stands for a literal {@code ${}.
   */
  private String substitute(String label, String value, Node node) {
    StringBuilder out = new StringBuilder();
    boolean ok = true;
    int i = 0;
    while (i < value.length()) {
      if (value.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (value.startsWith("${", i)) {
        int end = value.indexOf('}', i + 2);
        if (end < 0) {
          error(node, i, label + " has an unterminated ${ (got '" + value + "'; write $${ for a literal ${)");
          return null;
        }
        String reference = value.substring(i + 2, end);
        int separator = reference.indexOf(":-");
        String variable = separator < 0 ? reference : reference.substring(0, separator);
        String replacement = environment.get(variable);
        if (separator >= 0 && (replacement == null || replacement.isEmpty())) {
          // As in sh: the default stands in for an unset or empty variable.
          replacement = reference.substring(separator + 2);
        }
        if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
          error(node, i, label + " refers to an invalid variable name '${" + reference + "}'");
          ok = false;
        } else if (replacement == null) {
          error(node, i, label + " refers to ${" + variable + "}, which is not set in the runner's environment");
          ok = false;
        } else {
          out.append(replacement);
        }
        i = end + 1;
      } else {
        out.append(value.charAt(i));
        i++;
      }
    }
    return ok ? out.toString() : null;
  }

  private List<Constraint> constraints(String field, Node node) {
    if (!(node instanceof SequenceNode sequence)) {
      return typeError(field, "a list of strings such as 'hostname UNIQUE'", node);
    }
    List<Constraint> values = new ArrayList<>();
    for (int i = 0; i < sequence.getValue().size(); i++) {
      String label = field + "[" + i + "]";
      Node item = sequence.getValue().get(i);
      String text = string(label, item);
      if (text == null) continue;
      Constraint constraint = constraint(label, text, item);
      if (constraint != null) {
        nodes.put(label, item);
        values.add(constraint);
      }
    }
    return values;
  }

  private Constraint constraint(String label, String text, Node node) {
    String[] parts = text.strip().split("\\s+", 3);
    if (parts.length < 2) {
      error(node, label + " must be 'ATTRIBUTE OPERATOR [VALUE]', e.g. 'hostname UNIQUE' (got '" + text + "')");
      return null;
    }
    int opAt = text.indexOf(parts[1], text.indexOf(parts[0]) + parts[0].length());
    Constraint.Operator operator;
    try {
      operator = Constraint.Operator.valueOf(parts[1].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      error(node, opAt, label + " has unknown operator '" + parts[1]
          + "' (expected UNIQUE, CLUSTER, LIKE or UNLIKE; got '" + text + "')");
      return null;
    }
    String value = parts.length == 3 ? parts[2] : null;
    int valueAt = value == null ? 0 : text.indexOf(value, opAt + parts[1].length());
    if (operator == Constraint.Operator.UNIQUE && value != null) {
      error(node, valueAt, label + ": UNIQUE takes no value (got '" + text + "')");
      return null;
    }
    if (operator != Constraint.Operator.UNIQUE && value == null) {
      error(node, opAt, label + ": " + operator + " needs a value (got '" + text + "')");
      return null;
    }
    if (operator == Constraint.Operator.LIKE || operator == Constraint.Operator.UNLIKE) {
      try {
        java.util.regex.Pattern.compile(value);
      } catch (PatternSyntaxException e) {
        int index = Math.max(0, Math.min(e.getIndex(), value.length()));
        error(node, valueAt + index, label + " has an invalid regular expression '" + value + "' ("
            + e.getDescription() + " at index " + e.getIndex() + ")");
        return null;
      }
    }
    return new Constraint(parts[0], operator, value);
  }

  private Container container(String field, Node node) {
    if (!(node instanceof MappingNode mapping)) {
      return typeError(field, "a mapping such as {image: alpine:3.20}", node);
    }
    Map<String, Node> fields = fields(mapping, CONTAINER_FIELDS, " in container");
    Node image = fields.get("image");
    if (image == null) {
      error(node, "container is missing required field 'image'");
      return null;
    }
    String value = string("container.image", image);
    if (value == null) return null;
    nodes.put("container.image", image);
    return new Container(value);
  }

  private <T> T typeError(String field, String expected, Node node) {
    error(node, field + " must be " + expected + " (got " + describe(node) + ")");
    return null;
  }

  // ---- validation

  private void validate(Job job) {
    Set<ConstraintViolation<Job>> violations = Validators.VALIDATOR.validate(job);
    for (ConstraintViolation<Job> violation : violations) {
      Iterator<Path.Node> path = violation.getPropertyPath().iterator();
      if (!path.hasNext()) continue;
      Path.Node first = path.next();
      String component = first.getName();
      String field = FIELD_OF_COMPONENT.getOrDefault(component, component);
      if (failed.contains(field)) continue;
      String key = field;
      String label = field;
      if (path.hasNext()) {
        Path.Node second = path.next();
        if (second.getKind() == ElementKind.CONTAINER_ELEMENT) {
          Object index = second.getKey() != null ? second.getKey() : second.getIndex();
          key = field + "[" + index + "]";
          if ("<map key>".equals(second.getName())) {
            key += "#key";
            label = field + " key";
          } else if ("<map value>".equals(second.getName())) {
            label = field + "." + index;
          } else {
            label = field + "[" + index + "]";
          }
        } else {
          key = field + "." + second.getName();
          label = key;
        }
      }
      Node node = nodes.get(key);
      String echo = node == null ? "" : " (got " + describe(node) + ")";
      error(node == null ? root : node, label + " " + violation.getMessage() + echo);
    }
  }

  // ---- errors and node helpers

  private void error(Node node, String message) {
    error(node, 0, message);
  }

  /** An error at a node, moved {@code offset} characters right when that is exact (a one-line plain scalar). */
  private void error(Node node, int offset, String message) {
    Mark mark = node == null ? null : node.getStartMark().orElse(null);
    JobError error = JobLoader.at(fileName, mark, message);
    if (offset > 0 && mark != null && node instanceof ScalarNode scalar
        && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && node.getEndMark().isPresent() && node.getEndMark().get().getLine() == mark.getLine()) {
      error = new JobError(fileName, error.line(), error.column() + offset, message);
    }
    errors.add(error);
  }

  private JobFileException failure() {
    List<JobError> sorted = new ArrayList<>(new LinkedHashSet<>(errors));
    sorted.sort(Comparator.comparingInt(JobError::line).thenComparingInt(JobError::column));
    return new JobFileException(sorted);
  }

  private static boolean isScalar(Node node, Tag tag) {
    return node instanceof ScalarNode && node.getTag().equals(tag);
  }

  private static boolean isNull(Node node) {
    return isScalar(node, Tag.NULL);
  }

  private static String scalar(Node node) {
    return ((ScalarNode) node).getValue();
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
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

  /**
   * Builds the validator and validates a sample job once, which is most of the cost of the first
   * real validation (Hibernate Validator's bootstrap, the constraint metadata of the job types, the
   * constraint validators and their patterns). A load that comes while another thread runs this
   * waits for it (class initialisation is locked).
   */
  static void prepareValidator() {
    java.util.Objects.requireNonNull(Validators.VALIDATOR); // reading the field initialises the holder class
  }

  /** Built once: building a validator costs a few hundred milliseconds. */
  private static final class Validators {
    /**
     * Hibernate Validator announces its version at INFO through java.util.logging, which would
     * land in the middle of the runner's terminal output. The logger is held here because
     * java.util.logging keeps only weak references to configured loggers.
     */
    static final java.util.logging.Logger QUIET = quiet();
    /**
     * Configured to skip the bootstrap work a job file never needs: no META-INF/validation.xml
     * lookup, and a traversable resolver that reaches everything (what the default one answers
     * when JPA is absent, without probing the class path for it). Messages are interpolated
     * without Expression Language.
     */
    static final Validator VALIDATOR = Validation.byProvider(HibernateValidator.class)
        .configure()
        .ignoreXmlConfiguration()
        .traversableResolver(new ReachEverything())
        .messageInterpolator(new ParameterMessageInterpolator())
        .buildValidatorFactory()
        .getValidator();

    static {
      // Every constrained component set, so the validation of a real file finds everything built.
      VALIDATOR.validate(new Job("sample", Command.shell("true"), 1, 1, 0, 0, 0, 1, 1, 0, Duration.ofSeconds(1),
          Duration.ofSeconds(1), Map.of("VAR", "value"), List.of(new Constraint("hostname", Constraint.Operator.UNIQUE,
          null)), "*", "user", List.of("https://example.com/x"), new Container("image"), Map.of("label", "value"),
          OnFailure.STOP, List.of(1), List.of()));
    }

    /** Every property is reachable and cascadable: plain records, no persistence provider. */
    private static final class ReachEverything implements jakarta.validation.TraversableResolver {
      @Override
      public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
          java.lang.annotation.ElementType elementType) {
        return true;
      }

      @Override
      public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
          java.lang.annotation.ElementType elementType) {
        return true;
      }
    }

    private static java.util.logging.Logger quiet() {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger("org.hibernate.validator");
      if (logger.getLevel() == null) logger.setLevel(java.util.logging.Level.WARNING);
      return logger;
    }
  }
}
