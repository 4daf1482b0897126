package io.mesosrunner.job;

import static io.mesosrunner.job.YamlNodes.describe;
import static io.mesosrunner.job.YamlNodes.line;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Turns the YAML node tree of one job file into a {@link Job}, collecting every error with the
 * position of the node it is about. One instance reads one file.
 *
 * <p>This class holds the file's vocabulary (the field names) and reads the top level; the parts
 * live beside it, one concern each: {@link YamlWalk} checks tags and a mapping's keys against the
 * fields it may have; {@link ScalarValues} parses one node into a plain value (a number, size,
 * duration, command, exit code list); {@link NestedValues} reads lists and mappings ({@code env},
 * {@code constraints}, {@code uris}, {@code container}), with {@link EnvSubstitution} for
 * {@code ${VAR}}; {@link JobValidation} checks the built {@code Job}'s constraints and reports
 * each at its node. {@link ReadErrors} collects the errors, {@link ValuePositions} where each value
 * came from.
 *
 * <p>Where a new field goes: its name in {@link #FIELDS} (in the README's order; in
 * {@link #REQUIRED} too if it has no default), one line in {@link #job} that reads it with
 * {@code optional(fields, "name", reader, default)}, and the {@code Job} component it fills.
 * Its reader is an existing one of {@link ScalarValues} (a duration, a size, ...), a new one there
 * for a new kind of plain value, or one in {@link NestedValues} for a list or mapping. A nested
 * section lists its own field names here (as {@link #CONTAINER_FIELDS} does) and walks each of its
 * mappings with {@code walk.fields(mapping, ITS_FIELDS, " in section[i]")}, which reports unknown
 * and duplicate keys; a section whose items are jobs of their own, with many fields, gets its own
 * reader file in the shape of this one, sharing the same {@link ReadErrors}. The schema
 * ({@code schemas/job.schema.json}, its agreement with this reader is a tested property) and the
 * README's reference table change in the same commit.
 */
final class JobReader {

  static final List<String> FIELDS = List.of("version", "name", "command", "cpus", "mem", "disk", "gpus",
      "ports", "instances", "parallelism", "retries", "on_failure", "retry_on_exit", "no_retry_exit", "timeout", "deadline", "env", "constraints", "role",
      "user", "uris", "container", "labels", "unreachable_grace");
  static final List<String> REQUIRED = List.of("name", "command", "cpus", "mem");
  static final List<String> CONTAINER_FIELDS = List.of("image");
  static final List<String> URI_FIELDS = List.of("value", "executable", "extract");

  private final ReadErrors errors;
  private final ValuePositions positions = new ValuePositions();
  private final YamlWalk walk;
  private final ScalarValues values;
  private final NestedValues nested;
  /** Fields whose value could not be read at all; their constraint violations would only repeat that. */
  private final Set<String> failed = new HashSet<>();
  /** Top-level field name to the node of its key. */
  private Map<String, Node> keyNodes = Map.of();
  private Node root;

  JobReader(String fileName, Map<String, String> environment) {
    errors = new ReadErrors(fileName);
    walk = new YamlWalk(errors);
    values = new ScalarValues(errors);
    nested = new NestedValues(errors, positions, values, walk, new EnvSubstitution(environment, errors));
  }

  Job read(Node document) throws JobFileException {
    Map<String, Node> fields = topLevel(document);
    Job job = job(fields);
    JobValidation.validate(job, positions, failed, root, errors);
    if (errors.any()) throw errors.failure();
    return job;
  }

  /**
   * The file's fields with a value (nulls left out), after the checks of the file as a whole:
   * tags, keys, required fields, the version.
   */
  private Map<String, Node> topLevel(Node document) throws JobFileException {
    if (document == null) {
      errors.add(null, "file is empty (a job file is a mapping with at least name, command, cpus and mem)");
      throw errors.failure();
    }
    root = document;
    walk.checkTags(document);
    if (!(document instanceof MappingNode mapping)) {
      errors.add(document, "a job file must be a mapping of fields (got " + describe(document) + ")");
      throw errors.failure();
    }
    YamlWalk.Fields top = walk.fields(mapping, FIELDS, "");
    keyNodes = top.keys();
    Map<String, Node> fields = top.values();
    for (String required : REQUIRED) {
      if (!fields.containsKey(required)) {
        if (!top.suggested().contains(required)) errors.add(mapping, "missing required field '" + required + "'");
        failed.add(required);
      } else if (YamlNodes.isNull(fields.get(required))) {
        errors.add(fields.get(required), "missing value for required field '" + required + "'");
        failed.add(required);
      }
    }
    fields.values().removeIf(YamlNodes::isNull);
    Node versionNode = fields.get("version");
    if (versionNode != null && !BigDecimal.ONE.equals(ScalarValues.stripped(ScalarValues.numeric(versionNode)))) {
      errors.add(versionNode, "version must be 1 (got " + describe(versionNode) + ")");
    }
    return fields;
  }

  /** Reads every field in the order of {@link #FIELDS}; an unset or unreadable field takes its default. */
  private Job job(Map<String, Node> fields) {
    String name = optional(fields, "name", values::string, null);
    Command command = optional(fields, "command", values::command, null);
    double cpus = optional(fields, "cpus", values::number, 1.0);
    double mem = optional(fields, "mem", values::size, 1.0);
    double disk = optional(fields, "disk", values::size, 0.0);
    int gpus = optional(fields, "gpus", values::whole, 0);
    int ports = optional(fields, "ports", values::whole, 0);
    int instances = optional(fields, "instances", values::whole, 1);
    // Unset, parallelism is instances; a bad instances must not be reported a second time as a parallelism the file never set.
    if (!fields.containsKey("parallelism")) failed.add("parallelism");
    int parallelism = optional(fields, "parallelism", values::whole, instances);
    int retries = optional(fields, "retries", values::whole, 3);
    OnFailure onFailure = optional(fields, "on_failure", values::onFailure, OnFailure.STOP);
    List<Integer> retryOnExit = optional(fields, "retry_on_exit", values::exitCodes, List.of());
    List<Integer> noRetryExit = optional(fields, "no_retry_exit", values::exitCodes, List.of());
    checkOneExitList(fields);
    Duration timeout = optional(fields, "timeout", values::duration, null);
    Duration deadline = optional(fields, "deadline", values::duration, null);
    Duration unreachableGrace = optional(fields, "unreachable_grace", values::duration, Job.DEFAULT_UNREACHABLE_GRACE);
    Map<String, String> env = optional(fields, "env", (f, n) -> nested.stringMap(f, n, true), Map.of());
    List<Constraint> constraints = optional(fields, "constraints", nested::constraints, List.of());
    String role = optional(fields, "role", values::string, "*");
    String user = optional(fields, "user", values::string, null);
    List<FetchUri> uris = optional(fields, "uris", nested::uriList, List.of());
    Container container = optional(fields, "container", nested::container, null);
    Map<String, String> labels = optional(fields, "labels", (f, n) -> nested.stringMap(f, n, false), Map.of());
    return new Job(name, command, cpus, mem, disk, gpus, ports, instances, parallelism, retries, timeout,
        deadline, env, constraints, role, user, uris, container, labels, onFailure, retryOnExit, noRetryExit,
        unreachableGrace);
  }

  /** retry_on_exit and no_retry_exit exclude each other; the error is at whichever comes later. */
  private void checkOneExitList(Map<String, Node> fields) {
    if (!fields.containsKey("retry_on_exit") || !fields.containsKey("no_retry_exit")) return;
    Node later = YamlNodes.later(keyNodes.get("retry_on_exit"), keyNodes.get("no_retry_exit"));
    Node earlier = later == keyNodes.get("retry_on_exit") ? keyNodes.get("no_retry_exit") : keyNodes.get("retry_on_exit");
    errors.add(later, "retry_on_exit and no_retry_exit cannot both be set (the other is at line " + line(earlier)
        + "; retry_on_exit lists the only codes retried, no_retry_exit the codes never retried)");
  }

  /** Reads one value from its node; returns null after reporting an error. */
  private interface FieldReader<T> {
    T read(String field, Node node);
  }

  /** The field's value, or {@code fallback} when it is unset or could not be read (then marked failed). */
  private <T> T optional(Map<String, Node> fields, String field, FieldReader<T> reader, T fallback) {
    Node node = fields.get(field);
    if (node == null) return fallback;
    positions.put(field, node);
    T value = reader.read(field, node);
    if (value == null) {
      failed.add(field);
      return fallback;
    }
    return value;
  }

  /** See {@link JobLoader#prepareValidator()}. */
  static void prepareValidator() {
    JobValidation.prepare();
  }
}
