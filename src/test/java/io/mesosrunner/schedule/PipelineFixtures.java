package io.mesosrunner.schedule;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Pipelines for scheduler tests, built from steps given in dependency order. */
final class PipelineFixtures {

  private PipelineFixtures() {}

  /** A step to be placed by {@link #pipeline}: its job (name ignored), needs and matrix. */
  record StepSpec(String name, Job job, List<String> needs, List<Map<String, String>> matrix) {
    StepSpec matrix(List<Map<String, String>> combos) {
      return new StepSpec(name, job, needs, combos);
    }
  }

  static StepSpec step(String name, Job job, String... needs) {
    return new StepSpec(name, job, List.of(needs), List.of());
  }

  /** The steps, numbered consecutively in the order given (which must be a dependency order). */
  static Pipeline pipeline(String name, StepSpec... specs) {
    List<Step> steps = new ArrayList<>();
    int first = 0;
    int total = 0;
    for (StepSpec s : specs) {
      Job job = rename(s.job(), name);
      steps.add(new Step(s.name(), job, s.needs(), s.matrix(), List.of(), first));
      first += job.instances();
      total += job.instances();
    }
    Job summary = new Job(name, specs[0].job().command(), specs[0].job().cpus(), specs[0].job().memMb(), 0, 0, 0,
        total, total, 3, null, null, Map.of(), List.of(), "*", null, List.of(), null, Map.of());
    return new Pipeline(name, steps, false, summary);
  }

  private static Job rename(Job j, String name) {
    return new Job(name, j.command(), j.cpus(), j.memMb(), j.diskMb(), j.gpus(), j.ports(), j.instances(),
        j.parallelism(), j.retries(), j.timeout(), j.deadline(), j.env(), j.constraints(), j.role(), j.user(), j.uris(),
        j.container(), j.labels(), j.onFailure(), j.retryOnExit(), j.noRetryExit());
  }
}
