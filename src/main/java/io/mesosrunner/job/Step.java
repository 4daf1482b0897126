package io.mesosrunner.job;

import java.util.List;
import java.util.Map;

/**
 * One step of a {@link Pipeline}: a job template (the top level's fields overlaid with the step's
 * own) and how it fits in the pipeline. Immutable.
 *
 * @param name    the step's name (its key under {@code steps}); for a single-job file, the job's
 * @param job     what each instance runs: name is the pipeline's, {@code instances} is the
 *                step's instance count (the matrix size when it has a matrix)
 * @param needs   the steps that must have completed before this one starts, in file order
 * @param matrix  one map of matrix variables per instance, in instance order; empty without a matrix
 * @param outputs paths or globs relative to the sandbox, copied back when an instance finishes
 * @param first   the pipeline-wide index of the step's instance 0 (steps take consecutive ranges)
 */
public record Step(String name, Job job, List<String> needs, List<Map<String, String>> matrix, List<String> outputs,
    int first) {

  public Step {
    needs = List.copyOf(needs);
    matrix = List.copyOf(matrix);
    outputs = List.copyOf(outputs);
  }

  /** How many instances the step has. */
  public int size() {
    return job.instances();
  }

  /** Whether the pipeline-wide {@code index} is one of this step's instances. */
  public boolean holds(int index) {
    return index >= first && index < first + size();
  }

  /** The matrix values of instance {@code local} (0..size-1), or none. */
  public Map<String, String> matrixOf(int local) {
    return matrix.isEmpty() ? Map.of() : matrix.get(local);
  }
}
