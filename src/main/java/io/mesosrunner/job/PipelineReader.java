package io.mesosrunner.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns the YAML node tree of a pipeline file (one with {@code steps}) into a {@link Pipeline}.
 *
 * <p>Each step is read as a job: the top level's fields overlaid with the step's own, as one
 * mapping whose nodes keep their positions, so every error a job field can have is reported by
 * {@link JobReader} at the line where the value is written (once, when it is a top-level default
 * shared by several steps). What is a pipeline's own is checked here: step names, {@code needs}
 * (unknown steps with a suggestion, a step that needs itself, cycles, named at the {@code needs}
 * entry that closes them), {@code matrix} and {@code outputs}. One instance reads one file.
 */
final class PipelineReader {

  /** Most instances a matrix may expand to (the product of its lists' lengths). */
  static final int MAX_MATRIX = 1000;
  /** Fields only a step has. */
  static final List<String> STEP_ONLY = List.of("needs", "matrix", "outputs");

  private final String fileName;
  private final Map<String, String> environment;
  private final List<JobError> errors = new ArrayList<>();

  PipelineReader(String fileName, Map<String, String> environment) {
    this.fileName = fileName;
    this.environment = environment;
  }

  /** Whether the document is a pipeline: a mapping with a {@code steps} key. */
  static boolean isPipeline(Node document) {
    if (!(document instanceof MappingNode mapping)) return false;
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("steps")) return true;
    }
    return false;
  }

  /** A step as read, before the steps are put in dependency order. */
  private record Read(String name, Node keyNode, Job job, List<String> needs, List<Node> needNodes,
      List<Map<String, String>> matrix, List<String> outputs) {}

  Pipeline read(MappingNode root) throws JobFileException {
    List<NodeTuple> defaults = new ArrayList<>();
    Node steps = null;
    NodeTuple nameTuple = null;
    for (NodeTuple t : root.getValue()) {
      String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
      if ("steps".equals(key)) {
        steps = t.getValueNode();
      } else if (key != null && STEP_ONLY.contains(key)) {
        error(t.getKeyNode(), key + " belongs to a step, not to the top level of a pipeline");
      } else {
        if ("name".equals(key)) nameTuple = t;
        defaults.add(t);
      }
    }
    if (nameTuple == null) {
      error(root, "missing required field 'name'");
      defaults.add(new NodeTuple(plain("name", root), plain("pipeline", root)));
    }
    Map<String, Read> read = new LinkedHashMap<>();
    if (!(steps instanceof MappingNode stepMap) || stepMap.getValue().isEmpty()) {
      error(steps, "steps must be a mapping of step names to their fields, with at least one step (got "
          + YamlNodes.describe(steps) + ")");
      throw failure();
    }
    for (NodeTuple t : stepMap.getValue()) {
      Read step = step(t, defaults, read.keySet());
      if (step != null) read.put(step.name(), step);
    }
    checkNeeds(read);
    if (!errors.isEmpty()) throw failure();
    return assemble(read, nameTuple == null ? "pipeline" : ((ScalarNode) nameTuple.getValueNode()).getValue());
  }

  private Read step(NodeTuple t, List<NodeTuple> defaults, java.util.Set<String> earlier) {
    Node keyNode = t.getKeyNode();
    if (!(keyNode instanceof ScalarNode k) || k.getTag().equals(Tag.NULL)) {
      error(keyNode, "step names must be plain strings (got " + YamlNodes.describe(keyNode) + ")");
      return null;
    }
    String name = k.getValue();
    if (earlier.contains(name)) {
      error(keyNode, "duplicate step '" + name + "'");
      return null;
    }
    if (!name.matches("[A-Za-z0-9._-]{1,64}") || name.equals(".") || name.equals("..")) {
      error(keyNode, "step name '" + name + "' must be 1 to 64 letters, digits, '.', '_' and '-' (and not '.' or '..')");
    }
    if (!(t.getValueNode() instanceof MappingNode fields)) {
      error(t.getValueNode(), "step '" + name + "' must be a mapping of job fields (got "
          + YamlNodes.describe(t.getValueNode()) + ")");
      return null;
    }
    Map<String, NodeTuple> own = new LinkedHashMap<>();
    Node needsNode = null;
    Node matrixNode = null;
    Node outputsNode = null;
    for (NodeTuple f : fields.getValue()) {
      String key = f.getKeyNode() instanceof ScalarNode fk ? fk.getValue() : null;
      if ("needs".equals(key)) {
        needsNode = f.getValueNode();
      } else if ("matrix".equals(key)) {
        matrixNode = f.getValueNode();
      } else if ("outputs".equals(key)) {
        outputsNode = f.getValueNode();
      } else if ("name".equals(key) || "version".equals(key) || "steps".equals(key)) {
        error(f.getKeyNode(), key + " is not a field of a step (" + ("steps".equals(key)
            ? "steps do not nest" : "set it at the top level; a step's name is its key") + ")");
      } else if (key != null && !JobReader.FIELDS.contains(key) && DidYouMean.suggest(key, STEP_ONLY).isPresent()) {
        error(f.getKeyNode(), "unknown field '" + key + "' in step '" + name + "' (did you mean '"
            + DidYouMean.suggest(key, STEP_ONLY).get() + "'?)");
      } else if ("deadline".equals(key)) {
        error(f.getKeyNode(), "deadline is for the whole pipeline: set it at the top level");
      } else {
        // Duplicates among the step's own fields are JobReader's to report: keep them all.
        own.put(key == null ? "\0" + own.size() : own.containsKey(key) ? key + "\0" + own.size() : key, f);
      }
    }
    List<Map<String, String>> matrix = matrixNode == null ? List.of() : matrix(name, matrixNode);
    if (matrixNode != null && own.containsKey("instances")) {
      error(own.get("instances").getKeyNode(), "step '" + name + "' has a matrix, which sets its instances"
          + " (one per combination): remove instances");
    }
    List<NodeTuple> merged = new ArrayList<>();
    for (NodeTuple d : defaults) {
      String key = d.getKeyNode() instanceof ScalarNode dk ? dk.getValue() : null;
      if (key != null && own.containsKey(key)) continue;
      if (matrixNode != null && "instances".equals(key)) continue;
      merged.add(d);
    }
    for (Map.Entry<String, NodeTuple> e : own.entrySet()) {
      if (matrixNode == null || !e.getKey().equals("instances")) merged.add(e.getValue());
    }
    if (!matrix.isEmpty()) merged.add(new NodeTuple(plain("instances", matrixNode), plain(Integer.toString(matrix.size()), matrixNode)));
    Mark start = fields.getStartMark().orElse(keyNode.getStartMark().orElse(null));
    MappingNode asJob = new MappingNode(Tag.MAP, true, merged, FlowStyle.BLOCK, Optional.ofNullable(start),
        fields.getEndMark());
    Job job = readJob(name, asJob, start);
    List<Node> needNodes = needsNode == null ? List.of() : sequence("needs of step '" + name + "'", needsNode);
    List<String> needs = new ArrayList<>();
    for (Node n : needNodes) needs.add(((ScalarNode) n).getValue());
    List<String> outputs = outputsNode == null ? List.of() : outputs(name, outputsNode);
    return job == null ? new Read(name, keyNode, null, needs, needNodes, matrix, outputs)
        : new Read(name, keyNode, job, needs, needNodes, matrix, outputs);
  }

  /** The step read as a job (the top level's fields overlaid with its own), or null after its errors are added. */
  private Job readJob(String name, MappingNode asJob, Mark start) {
    try {
      return new JobReader(fileName, environment).read(asJob);
    } catch (JobFileException e) {
      int line = start == null ? 1 : start.getLine() + 1;
      int column = start == null ? 1 : start.getColumn() + 1;
      for (JobError err : e.errors()) {
        // An error about the step's mapping as a whole (a missing field) names the step.
        boolean aboutStep = err.line() == line && err.column() == column && err.message().startsWith("missing");
        errors.add(aboutStep ? new JobError(fileName, line, column, err.message() + " in step '" + name + "'") : err);
      }
      return null;
    }
  }

  /** A list of plain scalars, each reported when it is not one. */
  private List<Node> sequence(String what, Node node) {
    if (!(node instanceof SequenceNode seq)) {
      error(node, what + " must be a list (got " + YamlNodes.describe(node) + ")");
      return List.of();
    }
    List<Node> out = new ArrayList<>();
    for (Node item : seq.getValue()) {
      if (item instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isEmpty()) {
        out.add(item);
      } else {
        error(item, what + " must hold names or values, not " + YamlNodes.describe(item));
      }
    }
    return out;
  }

  /**
   * Every combination of the matrix's values, the first variable varying slowest (as nested
   * loops written in the file's order): {@code {A: [1, 2], B: [x, y]}} is A=1 B=x, A=1 B=y,
   * A=2 B=x, A=2 B=y.
   */
  private List<Map<String, String>> matrix(String step, Node node) {
    if (!(node instanceof MappingNode m) || m.getValue().isEmpty()) {
      error(node, "matrix of step '" + step + "' must map variable names to lists of values (got "
          + YamlNodes.describe(node) + ")");
      return List.of();
    }
    List<String> names = new ArrayList<>();
    List<List<String>> values = new ArrayList<>();
    long size = 1;
    for (NodeTuple t : m.getValue()) {
      String var = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
      if (var == null || !var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        error(t.getKeyNode(), "matrix variable " + YamlNodes.describe(t.getKeyNode()) + " must be an environment"
            + " variable name: letters, digits and '_', not starting with a digit");
        continue;
      }
      if (var.startsWith("RUNNER_")) {
        error(t.getKeyNode(), "matrix variable '" + var + "' must not start with RUNNER_, which is reserved for the runner");
        continue;
      }
      if (names.contains(var)) {
        error(t.getKeyNode(), "duplicate matrix variable '" + var + "'");
        continue;
      }
      List<Node> items = sequence("matrix variable '" + var + "'", t.getValueNode());
      if (t.getValueNode() instanceof SequenceNode seq && seq.getValue().isEmpty()) {
        error(t.getValueNode(), "matrix variable '" + var + "' has no values (give at least one)");
      }
      List<String> list = new ArrayList<>();
      Map<String, Node> seen = new HashMap<>();
      for (Node item : items) {
        String v = ((ScalarNode) item).getValue();
        Node first = seen.putIfAbsent(v, item);
        if (first != null) {
          error(item, "duplicate value '" + v + "' of matrix variable '" + var + "' (first at line "
              + (first.getStartMark().map(Mark::getLine).orElse(0) + 1) + ")");
        } else {
          list.add(v);
        }
      }
      if (list.isEmpty()) continue;
      names.add(var);
      values.add(list);
      size *= list.size();
    }
    if (size > MAX_MATRIX) {
      error(node, "matrix of step '" + step + "' expands to " + size + " instances; at most " + MAX_MATRIX);
      return List.of();
    }
    if (names.isEmpty()) return List.of();
    List<Map<String, String>> combos = new ArrayList<>();
    combos.add(Map.of());
    for (int v = 0; v < names.size(); v++) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> c : combos) {
        for (String value : values.get(v)) {
          Map<String, String> more = new LinkedHashMap<>(c);
          more.put(names.get(v), value);
          next.add(more);
        }
      }
      combos = next;
    }
    return combos;
  }

  private List<String> outputs(String step, Node node) {
    List<String> out = new ArrayList<>();
    for (Node item : sequence("outputs of step '" + step + "'", node)) {
      String path = ((ScalarNode) item).getValue();
      if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
        error(item, "output '" + path + "' must be relative to the sandbox, not an absolute path");
      } else if (List.of(path.split("[/\\\\]")).contains("..")) {
        error(item, "output '" + path + "' must stay in the sandbox (no '..')");
      } else {
        out.add(path);
      }
    }
    return out;
  }

  /** Unknown steps (with a suggestion), a step that needs itself, duplicates and cycles. */
  private void checkNeeds(Map<String, Read> steps) {
    for (Read r : steps.values()) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int i = 0; i < r.needs().size(); i++) {
        String need = r.needs().get(i);
        Node at = r.needNodes().get(i);
        if (need.equals(r.name())) {
          error(at, "step '" + r.name() + "' needs itself");
        } else if (!steps.containsKey(need)) {
          Optional<String> guess = DidYouMean.suggest(need, steps.keySet());
          error(at, "step '" + r.name() + "' needs '" + need + "', which is not a step"
              + guess.map(g -> " (did you mean '" + g + "'?)").orElse(" (steps: " + String.join(", ", steps.keySet()) + ")"));
        } else if (!seen.add(need)) {
          error(at, "step '" + r.name() + "' lists '" + need + "' twice in needs");
        }
      }
    }
    // Depth-first in file order; an edge back to a step on the path closes a cycle.
    Map<String, Integer> state = new HashMap<>();
    for (String s : steps.keySet()) findCycle(s, steps, state, new ArrayList<>());
  }

  private void findCycle(String step, Map<String, Read> steps, Map<String, Integer> state, List<String> path) {
    Integer st = state.get(step);
    if (st != null) return;
    state.put(step, 1);
    path.add(step);
    Read r = steps.get(step);
    for (int i = 0; i < r.needs().size(); i++) {
      String need = r.needs().get(i);
      if (need.equals(step) || !steps.containsKey(need)) continue;
      Integer ns = state.get(need);
      if (ns != null && ns == 1) {
        List<String> around = new ArrayList<>(path.subList(path.indexOf(need), path.size()));
        around.add(need);
        error(r.needNodes().get(i), "needs form a cycle: " + String.join(" -> ", around)
            + " (each step needs the one after it)");
      } else if (ns == null) {
        findCycle(need, steps, state, path);
      }
    }
    path.remove(path.size() - 1);
    state.put(step, 2);
  }

  /** The steps in dependency order (ties in file order), numbered, with the top-level view. */
  private Pipeline assemble(Map<String, Read> read, String name) {
    List<Read> order = new ArrayList<>();
    java.util.Set<String> placed = new java.util.HashSet<>();
    while (order.size() < read.size()) {
      for (Read r : read.values()) {
        if (!placed.contains(r.name()) && placed.containsAll(r.needs())) {
          order.add(r);
          placed.add(r.name());
          break;
        }
      }
    }
    List<Step> steps = new ArrayList<>();
    int first = 0;
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    int gpus = 0;
    int ports = 0;
    for (Read r : order) {
      steps.add(new Step(r.name(), r.job(), r.needs(), r.matrix(), r.outputs(), first));
      first += r.job().instances();
      cpus = Math.max(cpus, r.job().cpus());
      mem = Math.max(mem, r.job().memMb());
      disk = Math.max(disk, r.job().diskMb());
      gpus = Math.max(gpus, r.job().gpus());
      ports = Math.max(ports, r.job().ports());
    }
    Job j = order.get(0).job();
    Job summary = new Job(name, j.command(), cpus, mem, disk, gpus, ports, first, first, j.retries(), null,
        j.deadline(), Map.of(), List.of(), j.role(), j.user(), List.of(), j.container(), Map.of(), j.onFailure(),
        List.of(), List.of());
    return new Pipeline(name, steps, false, summary);
  }

  private static ScalarNode plain(String value, Node at) {
    Optional<Mark> mark = at == null ? Optional.empty() : at.getStartMark();
    Tag tag = value.matches("\\d+") ? Tag.INT : Tag.STR;
    return new ScalarNode(tag, true, value, ScalarStyle.PLAIN, mark, at == null ? Optional.empty() : at.getEndMark());
  }

  private void error(Node node, String message) {
    errors.add(JobLoader.at(fileName, node == null ? null : node.getStartMark().orElse(null), message));
  }

  private JobFileException failure() {
    List<JobError> sorted = new ArrayList<>(new LinkedHashSet<>(errors));
    sorted.sort(Comparator.comparingInt(JobError::line).thenComparingInt(JobError::column));
    return new JobFileException(sorted);
  }
}
