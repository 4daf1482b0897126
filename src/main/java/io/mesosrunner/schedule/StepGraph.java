package io.mesosrunner.schedule;

import io.mesosrunner.job.Job;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of a run and where each stands: its instances' counts by state (kept by
 * {@link AttemptTable#move}), whether it is ready (every step it needs has completed), and
 * whether it was skipped because a step it needs failed. Steps are in dependency order and
 * hold consecutive ranges of the run's instance indexes. A single job is one step.
 * Not thread-safe: owned by the scheduler's thread.
 */
final class StepGraph {

  private static final int STATES = InstanceState.values().length;

  private final Pipeline pipeline;
  private final List<Step> steps;
  private final int[] counts;
  private final int[][] needs;
  private final String[] skipped;

  StepGraph(Pipeline pipeline) {
    this.pipeline = pipeline;
    this.steps = pipeline.steps();
    this.counts = new int[steps.size() * STATES];
    this.needs = new int[steps.size()][];
    this.skipped = new String[steps.size()];
    for (int s = 0; s < steps.size(); s++) {
      counts[s * STATES + InstanceState.PENDING.ordinal()] = steps.get(s).size();
      List<String> named = steps.get(s).needs();
      needs[s] = new int[named.size()];
      for (int n = 0; n < named.size(); n++) needs[s][n] = indexOf(named.get(n));
    }
  }

  Pipeline pipeline() {
    return pipeline;
  }

  int size() {
    return steps.size();
  }

  Step step(int s) {
    return steps.get(s);
  }

  Job job(int s) {
    return steps.get(s).job();
  }

  /** The step holding the run-wide instance {@code index}. */
  int stepOf(int index) {
    if (steps.size() == 1) return 0;
    int lo = 0;
    int hi = steps.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (steps.get(mid).first() <= index) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /** The job template of the step holding instance {@code index}. */
  Job jobOf(int index) {
    return steps.get(stepOf(index)).job();
  }

  int indexOf(String name) {
    for (int s = 0; s < steps.size(); s++) {
      if (steps.get(s).name().equals(name)) return s;
    }
    throw new IllegalArgumentException("no step named " + name);
  }

  int count(int s, InstanceState state) {
    return counts[s * STATES + state.ordinal()];
  }

  void moved(int index, InstanceState from, InstanceState to) {
    int base = stepOf(index) * STATES;
    counts[base + from.ordinal()]--;
    counts[base + to.ordinal()]++;
  }

  /** Every never-launched instance of every step counts as ABANDONED from now on. */
  void abandonNeverLaunched(int s, int howMany) {
    counts[s * STATES + InstanceState.PENDING.ordinal()] -= howMany;
    counts[s * STATES + InstanceState.ABANDONED.ordinal()] += howMany;
  }

  boolean completed(int s) {
    return count(s, InstanceState.DONE) == steps.get(s).size();
  }

  boolean failed(int s) {
    return count(s, InstanceState.FAILED) > 0;
  }

  /** Every step it needs has completed, and it was not skipped. */
  boolean ready(int s) {
    if (skipped[s] != null) return false;
    for (int n : needs[s]) {
      if (!completed(n)) return false;
    }
    return true;
  }

  /** Why step {@code s} was not run, or null when it was not skipped. */
  String skipReason(int s) {
    return skipped[s];
  }

  void skip(int s, String why) {
    if (skipped[s] == null) skipped[s] = why;
  }

  /** The steps that need {@code s}, directly or not, in dependency order. */
  List<Integer> dependentsOf(int s) {
    boolean[] reached = new boolean[steps.size()];
    reached[s] = true;
    List<Integer> out = new ArrayList<>();
    // Steps are in dependency order, so one pass forward reaches every dependant.
    for (int d = s + 1; d < steps.size(); d++) {
      for (int n : needs[d]) {
        if (reached[n]) {
          reached[d] = true;
          out.add(d);
          break;
        }
      }
    }
    return out;
  }

  /** The steps {@code s} needs that have not completed, by name. */
  List<String> unmetNeeds(int s) {
    List<String> out = new ArrayList<>();
    for (int n : needs[s]) {
      if (!completed(n)) out.add(steps.get(n).name());
    }
    return out;
  }

  /**
   * The steps under way that waiting steps still need, in step order, for "waiting for: steps
   * they need": a need that itself waits is named by what it waits for.
   */
  List<String> unmetNeedsUnderWay() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    for (int s = 0; s < size(); s++) {
      if (!ready(s) && skipReason(s) == null) names.addAll(unmetNeeds(s));
    }
    names.removeIf(n -> !ready(indexOf(n)));
    return List.copyOf(names);
  }
}
