package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.TaskSpec;
import java.util.BitSet;
import java.util.List;

/**
 * The checks {@link LocalMaster} makes before it launches a task, as strict as a Mesos master's
 * (see {@link LocalCluster}): a unique usable task id, job fields this cluster can honour, and
 * resources and ports within what is left of the offer. Messages are the master's.
 */
final class LaunchCheck {

  private LaunchCheck() {
  }

  /**
   * Why a task cannot be launched on what is left of its offer, in the master's words; or null.
   *
   * @param duplicate whether a task with its id is still active
   */
  static String problem(TaskSpec spec, Amounts need, Amounts left, BitSet leftPorts, boolean duplicate,
      LocalConfig config) {
    String id = spec.taskId();
    if (duplicate) {
      return "Task has duplicate ID: " + id;
    }
    if (id.isEmpty() || id.equals(".") || id.equals("..") || id.contains("/") || id.indexOf('\0') >= 0) {
      return "Task ID '" + id + "' cannot be used as a sandbox directory name";
    }
    List<String> unsupported = LocalCluster.unsupportedFields(spec.job(), config);
    if (!unsupported.isEmpty()) {
      return "The local cluster cannot honour these fields of job '" + spec.job().name() + "': "
          + String.join(", ", unsupported);
    }
    boolean portsFit = true;
    BitSet wanted = new BitSet();
    for (long p : spec.placement().ports()) {
      if (p < 0 || p > 65535 || !leftPorts.get((int) p) || wanted.get((int) p)) {
        portsFit = false;
        break;
      }
      wanted.set((int) p);
    }
    if (!left.covers(need) || !portsFit) {
      String ports = spec.placement().ports().isEmpty() ? "" : "; ports:" + spec.placement().ports();
      return "Total resources " + need.describe() + ports
          + " required by task is more than available " + left.describe()
          + "; ports:" + Amounts.describe(leftPorts);
    }
    return null;
  }
}
