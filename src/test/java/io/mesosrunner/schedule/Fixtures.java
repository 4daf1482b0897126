package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;


import io.mesosrunner.job.Command;
import io.mesosrunner.job.Constraint;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.OnFailure;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.PortRange;
import io.mesosrunner.match.Resources;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Named-argument fixture factories for scheduler tests. */
final class Fixtures {
  private static final AtomicInteger ids = new AtomicInteger();

  private Fixtures() {}

  record JobBuilder(String name, int instances, int parallelism, int retries, double cpus, double mem,
      Duration timeout, Duration deadline, List<Constraint> constraints, OnFailure onFailure,
      List<Integer> retryOnExit, List<Integer> noRetryExit, Duration grace) {
    JobBuilder instances(int n) { return new JobBuilder(name, n, n, retries, cpus, mem, timeout, deadline, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder parallelism(int n) { return new JobBuilder(name, instances, n, retries, cpus, mem, timeout, deadline, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder retries(int n) { return new JobBuilder(name, instances, parallelism, n, cpus, mem, timeout, deadline, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder cpus(double c) { return new JobBuilder(name, instances, parallelism, retries, c, mem, timeout, deadline, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder timeout(Duration t) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, t, deadline, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder deadline(Duration d) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, d, constraints, onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder constraints(Constraint... c) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, deadline, List.of(c), onFailure, retryOnExit, noRetryExit, grace); }
    JobBuilder onFailure(OnFailure f) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, deadline, constraints, f, retryOnExit, noRetryExit, grace); }
    JobBuilder retryOnExit(Integer... codes) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, deadline, constraints, onFailure, List.of(codes), noRetryExit, grace); }
    JobBuilder noRetryExit(Integer... codes) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, deadline, constraints, onFailure, retryOnExit, List.of(codes), grace); }

    JobBuilder unreachableGrace(Duration g) { return new JobBuilder(name, instances, parallelism, retries, cpus, mem, timeout, deadline, constraints, onFailure, retryOnExit, noRetryExit, g); }

    Job build() {
      return new Job(name, Command.shell("echo hi"), cpus, mem, 0, 0, 0, instances, parallelism, retries, timeout,
          deadline, Map.of("GREETING", "hi"), constraints, "*", null, List.of(), null, Map.of("team", "data"),
          onFailure, retryOnExit, noRetryExit, grace);
    }
  }

  static JobBuilder job() {
    return new JobBuilder("hello", 1, 1, 3, 0.1, 32, null, null, List.of(), OnFailure.STOP, List.of(), List.of(),
        Job.DEFAULT_UNREACHABLE_GRACE);
  }

  static Offer offer(String agent, double cpus, double mem) {
    return new Offer("O" + ids.incrementAndGet(), agent, agent + ".example", "*", new Resources(cpus, mem, 1000, 0),
        List.of(new PortRange(31000, 31010)), Map.of());
  }

  static Event.OffersReceived offers(Offer... offers) {
    return new Event.OffersReceived(List.of(offers));
  }

  static Event.StatusUpdate update(String taskId, TaskState state) {
    return update(taskId, state, null);
  }

  static Event.StatusUpdate update(String taskId, TaskState state, Integer exitCode) {
    String uuid = Base64.getEncoder().encodeToString(String.format("%016d", ids.incrementAndGet()).getBytes());
    return new Event.StatusUpdate(new TaskStatus(taskId, state, "agent-1", null, null, exitCode, uuid));
  }

  static Event.StatusUpdate masterUpdate(String taskId, TaskState state, String reason) {
    return new Event.StatusUpdate(new TaskStatus(taskId, state, "agent-1", "from master", reason, null, null));
  }

  static RunInfo run() {
    return new RunInfo("r1", "jobs/hello.yaml", "abc123", "deadbeef");
  }
}
