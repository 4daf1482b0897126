package io.mesosrunner.job;

import java.util.ArrayList;
import java.util.List;

/**
 * What one job file runs: one or more {@link Step}s with their needs, as one run (one framework,
 * one journal, one run id). A single-job file is a pipeline of one step named after the job,
 * marked {@link #single()}: its task ids, output tags and environment stay those of a job.
 *
 * <p>Instances are numbered pipeline-wide: step 0 holds 0..n0-1, step 1 the next n1, and so on, in
 * dependency order (a step comes after every step it needs). The journal, resume and
 * {@code --retry-failed} work on these indexes; the task id and the reports name the step and
 * the index within it. Immutable.
 *
 * @param name    the pipeline's name: the run's name, its state directory, framework {@code runner:<name>}
 * @param steps   in dependency order (ties in file order)
 * @param single  a plain job file (no {@code steps})
 * @param summary the top-level view the commands show: the pipeline's name, top-level
 *                {@code deadline} and {@code role}, {@code instances} = every step's instances,
 *                {@code cpus}/{@code mem}/{@code disk}/{@code gpus}/{@code ports} the largest
 *                any step asks (what must fit one agent); for a single job, the job itself
 */
public record Pipeline(String name, List<Step> steps, boolean single, Job summary) {

  public Pipeline {
    steps = List.copyOf(steps);
  }

  /** A single job as a pipeline of one step. */
  public static Pipeline of(Job job) {
    return new Pipeline(job.name(), List.of(new Step(job.name(), job, List.of(), List.of(), List.of(), 0)), true, job);
  }

  /** Every step's instances together. */
  public int instances() {
    Step last = steps.get(steps.size() - 1);
    return last.first() + last.size();
  }

  /** The step holding the pipeline-wide {@code index}. */
  public Step stepOf(int index) {
    int lo = 0;
    int hi = steps.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (steps.get(mid).first() <= index) lo = mid; else hi = mid - 1;
    }
    return steps.get(lo);
  }

  /** The step named {@code name}, or null. */
  public Step step(String name) {
    for (Step s : steps) {
      if (s.name().equals(name)) return s;
    }
    return null;
  }

  /** This pipeline with {@code on_failure: continue} on every step ({@code --keep-going}). */
  public Pipeline withOnFailure(OnFailure onFailure) {
    return map(j -> j.withOnFailure(onFailure));
  }

  /** Every step with this {@code unreachable_grace} (the {@code --unreachable-grace} option). */
  public Pipeline withUnreachableGrace(java.time.Duration grace) {
    return map(j -> j.withUnreachableGrace(grace));
  }

  /** This pipeline with every step in another role ({@code --role}). */
  public Pipeline withRole(String role) {
    return map(j -> j.withRole(role));
  }

  private Pipeline map(java.util.function.UnaryOperator<Job> change) {
    List<Step> changed = new ArrayList<>(steps.size());
    for (Step s : steps) changed.add(new Step(s.name(), change.apply(s.job()), s.needs(), s.matrix(), s.outputs(), s.first()));
    return new Pipeline(name, changed, single, change.apply(summary));
  }

  /** Label of instance {@code index} in output and reports: {@code job/3} or {@code job/step/3}. */
  public String tag(int index) {
    if (single) return name + "/" + index;
    Step s = stepOf(index);
    return name + "/" + s.name() + "/" + (index - s.first());
  }
}
