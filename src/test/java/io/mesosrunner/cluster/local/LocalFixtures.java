package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.job.Command;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import java.util.List;
import java.util.Map;

/** Jobs and tasks for the local cluster's tests. */
final class LocalFixtures {
  private LocalFixtures() {}

  static Job job(String name, Command command, double cpus, double memMb) {
    return new Job(name, command, cpus, memMb, 0, 0, 0, 1, 1, 0, null, null,
        Map.of(), List.of(), "*", null, List.of(), null, Map.of());
  }

  static Job shellJob(String name, String command) {
    return job(name, Command.shell(command), 0.1, 32);
  }

  static TaskSpec task(String taskId, Job job, Offer offer) {
    return task(taskId, job, offer, Map.of());
  }

  static TaskSpec task(String taskId, Job job, Offer offer, Map<String, String> env) {
    Placement placement = new Placement(taskId, offer,
        new Resources(job.cpus(), job.memMb(), job.diskMb(), job.gpus()), List.of());
    return new TaskSpec(taskId, job, 0, 1, placement, env, Map.of());
  }

  static TaskState state(TaskStatus s) {
    return s.state();
  }
}
