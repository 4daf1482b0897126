package io.mesosrunner.cluster.mesos;

import io.mesosrunner.job.Command;
import io.mesosrunner.job.Container;
import io.mesosrunner.job.FetchUri;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.TaskSpec;
import java.util.List;
import java.util.Map;

/** Test values with named arguments. */
final class Fixtures {
  private Fixtures() {}

  static Job job(String name, Command command) {
    return job(name, command, null, List.of(), null, Map.of());
  }

  static Job job(String name, Command command, String user, List<String> uris, Container container,
      Map<String, String> labels) {
    return new Job(name, command, 0.1, 32, 0, 0, 0, 1, 1, 3, null, null, Map.of(), List.of(), "*", user, uris.stream().map(FetchUri::of).toList(),
        container, labels);
  }

  static TaskSpec task(String taskId, Job job, Offer offer, Resources resources, List<Long> ports) {
    return new TaskSpec(taskId, job, 0, 1, new Placement(taskId, offer, resources, ports), Map.of(), Map.of());
  }

  static TaskSpec task(String taskId, Job job, Offer offer, Resources resources, List<Long> ports,
      Map<String, String> env, Map<String, String> labels) {
    return new TaskSpec(taskId, job, 0, 1, new Placement(taskId, offer, resources, ports), env, labels);
  }

  static Resources cpusMem(double cpus, double mem) {
    return new Resources(cpus, mem, 0, 0);
  }
}
