package io.mesosrunner.schedule;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every instance of a run with its attempts, the count of instances in each state (in the whole
 * run and per step, see {@link StepGraph}), and the task-id format {@code <job>.<instance>.<attempt>.<run>}
 * ({@code <pipeline>.<step>.<instance in step>.<attempt>.<run>} for a step of a pipeline). Instances are created when first launched (or
 * restored): an instance never launched is null here and counts as PENDING (ABANDONED once the
 * run stops). Not thread-safe: owned by the scheduler's thread.
 */
final class AttemptTable {

  private final String jobName;
  private final String runId;
  private final StepGraph steps;
  private final boolean single;
  private final Instance[] instances;
  /** Per step: its instances never launched are exactly the null ones from this index to the step's end. */
  private final int[] nextFresh;
  private final int[] counts = new int[InstanceState.values().length];
  private long attemptTotal;
  /** Attempts not yet terminal (including duplicates being killed), by task id, in launch order. */
  private final Map<String, Attempt> live = new LinkedHashMap<>();
  /** Attempts waiting out the grace for their unreachable agent, in the order they began. */
  private final Map<String, Attempt> inGrace = new LinkedHashMap<>();
  /** Status messages seen, shared: "Command exited with status 0" a million times is one string. */
  private final Map<String, String> messages = new HashMap<>();

  AttemptTable(StepGraph steps, String runId) {
    this.jobName = steps.pipeline().name();
    this.runId = runId;
    this.steps = steps;
    this.single = steps.pipeline().single();
    int size = steps.pipeline().instances();
    this.instances = new Instance[size];
    this.nextFresh = new int[steps.size()];
    for (int s = 0; s < steps.size(); s++) nextFresh[s] = steps.step(s).first();
    counts[InstanceState.PENDING.ordinal()] = size;
  }

  StepGraph steps() {
    return steps;
  }

  int size() {
    return instances.length;
  }

  // ---------------------------------------------------------------- instances and their states

  /** How many instances are in {@code state} (never-launched ones count as PENDING). */
  int count(InstanceState state) {
    return counts[state.ordinal()];
  }

  /** The one place an instance's state changes: the counts follow. */
  void move(Instance instance, InstanceState to) {
    counts[instance.state.ordinal()]--;
    counts[to.ordinal()]++;
    steps.moved(instance.index, instance.state, to);
    instance.state = to;
  }

  /** The indexes of the instances in {@code state}, ascending (not for PENDING: unlaunched ones have no object). */
  List<Integer> indexesIn(InstanceState state) {
    List<Integer> out = new ArrayList<>(count(state));
    for (Instance instance : instances) {
      if (instance != null && instance.state == state) out.add(instance.index);
    }
    return out;
  }

  /** The instance at {@code index}, or null when it was never launched (or is out of range). */
  Instance get(int index) {
    return index < 0 || index >= instances.length ? null : instances[index];
  }

  /** Creates the instance at {@code index} for a restored history; PENDING until moved. */
  Instance restore(int index) {
    Instance instance = new Instance(index);
    instances[index] = instance;
    return instance;
  }

  /** The next instance of step {@code s} never launched, now created (PENDING), or null when there is none. */
  Instance nextFresh(int s) {
    int end = steps.step(s).first() + steps.step(s).size();
    while (nextFresh[s] < end) {
      int i = nextFresh[s]++;
      // One restored from an earlier run is in the queue or settled.
      if (instances[i] != null) continue;
      Instance instance = new Instance(i);
      instances[i] = instance;
      return instance;
    }
    return null;
  }

  /**
   * Step {@code s} will not run (a step it needs failed): its instances never launched, and those
   * waiting, become ABANDONED.
   */
  void skip(int s) {
    int end = steps.step(s).first() + steps.step(s).size();
    for (int i = steps.step(s).first(); i < end; i++) {
      Instance instance = instances[i];
      if (instance == null) {
        instance = new Instance(i);
        instances[i] = instance;
      }
      if (instance.state == InstanceState.PENDING || instance.state == InstanceState.BACKOFF) {
        move(instance, InstanceState.ABANDONED);
      }
    }
    nextFresh[s] = end;
  }

  /** Every waiting instance (PENDING, BACKOFF, never launched) becomes ABANDONED: the run stops. */
  void abandonWaiting() {
    for (Instance instance : instances) {
      if (instance != null
          && (instance.state == InstanceState.PENDING || instance.state == InstanceState.BACKOFF)) {
        move(instance, InstanceState.ABANDONED);
      }
    }
    // What is left counted as PENDING are the instances never launched.
    counts[InstanceState.ABANDONED.ordinal()] += counts[InstanceState.PENDING.ordinal()];
    counts[InstanceState.PENDING.ordinal()] = 0;
    for (int s = 0; s < steps.size(); s++) steps.abandonNeverLaunched(s, steps.count(s, InstanceState.PENDING));
  }

  // ---------------------------------------------------------------- attempts

  /** A new attempt of {@code instance} on an agent, live from now. */
  Attempt launch(Instance instance, String agentId, String hostname, Map<String, String> attributes, Instant now) {
    instance.attemptCount++;
    attemptTotal++;
    Attempt a = new Attempt(instance, instance.attemptCount, agentId, hostname, attributes, now.toEpochMilli());
    instance.add(a);
    live.put(taskId(a), a);
    return a;
  }

  /** Attempts launched by this run (restored ones not counted). */
  long attemptTotal() {
    return attemptTotal;
  }

  void markLive(Attempt a) {
    live.put(taskId(a), a);
  }

  void markEnded(Attempt a) {
    live.remove(taskId(a));
  }

  void enterGrace(Attempt a) {
    inGrace.put(taskId(a), a);
  }

  void leaveGrace(Attempt a) {
    if (!inGrace.isEmpty()) inGrace.remove(taskId(a));
  }

  boolean inGrace(Attempt a) {
    return !inGrace.isEmpty() && inGrace.get(taskId(a)) == a;
  }

  /** The attempt that has waited longest for its agent, or null. */
  Attempt firstInGrace() {
    return inGrace.isEmpty() ? null : inGrace.values().iterator().next();
  }

  int inGraceCount() {
    return inGrace.size();
  }

  /** The attempts waiting for their agent, oldest first (a copy). */
  List<Attempt> inGrace() {
    return List.copyOf(inGrace.values());
  }

  Collection<Attempt> live() {
    return live.values();
  }

  List<String> liveTaskIds() {
    return List.copyOf(live.keySet());
  }

  String taskId(Attempt a) {
    return taskId(a.instance.index, a.number);
  }

  String taskId(int index, int attempt) {
    if (single) return jobName + "." + index + "." + attempt + "." + runId;
    var step = steps.step(steps.stepOf(index));
    return jobName + "." + step.name() + "." + (index - step.first()) + "." + attempt + "." + runId;
  }

  /**
   * The attempt a task id names, or null when it is not a task of this run. Parsed from the
   * right (the job name may hold dots), so no map from task id to attempt is needed.
   */
  Attempt find(String taskId) {
    if (taskId == null || !taskId.startsWith(jobName) || !taskId.endsWith("." + runId)) return null;
    int runDot = taskId.length() - runId.length() - 1;
    int attemptDot = taskId.lastIndexOf('.', runDot - 1);
    if (attemptDot <= jobName.length()) return null;
    int indexDot = taskId.lastIndexOf('.', attemptDot - 1);
    if (indexDot < jobName.length()) return null;
    int first = 0;
    int stepSize = instances.length;
    if (single) {
      if (indexDot != jobName.length()) return null;
    } else {
      // Step names may hold dots too: the step is what lies between the job name and the index.
      if (indexDot <= jobName.length() + 1 || taskId.charAt(jobName.length()) != '.') return null;
      var step = steps.pipeline().step(taskId.substring(jobName.length() + 1, indexDot));
      if (step == null) return null;
      first = step.first();
      stepSize = step.size();
    }
    try {
      int local = Integer.parseInt(taskId, indexDot + 1, attemptDot, 10);
      int attempt = Integer.parseInt(taskId, attemptDot + 1, runDot, 10);
      if (local < 0 || local >= stepSize) return null;
      Instance instance = get(first + local);
      return instance == null ? null : instance.attempt(attempt);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** One shared copy of each status message. */
  String shared(String message) {
    if (message == null) return null;
    String known = messages.get(message);
    if (known != null) return known;
    if (messages.size() < 1000) messages.put(message, message);
    return message;
  }

  /** Every instance with its attempts; never-launched ones are PENDING while running, else ABANDONED. */
  List<InstanceRecord> records(boolean running) {
    List<InstanceRecord> out = new ArrayList<>(instances.length);
    for (int i = 0; i < instances.length; i++) {
      Instance instance = instances[i];
      if (instance == null) {
        out.add(new InstanceRecord(i, running ? InstanceState.PENDING : InstanceState.ABANDONED, 0, 0, List.of()));
        continue;
      }
      List<Attempt> all = instance.attempts();
      List<AttemptRecord> attempts = new ArrayList<>(all.size());
      for (Attempt a : all) {
        attempts.add(new AttemptRecord(taskId(a), a.number, a.agentId, a.hostname, a.state, a.exitCode,
            a.message, a.cause, Instant.ofEpochMilli(a.startedAt),
            a.endedAt == Attempt.UNSET ? null : Instant.ofEpochMilli(a.endedAt), null, a.reason, a.source,
            a.unreachableAt == Attempt.UNSET || a.backAt == Attempt.UNSET ? null
                : java.time.Duration.ofMillis(a.backAt - a.unreachableAt)));
      }
      out.add(new InstanceRecord(i, instance.state, instance.failures, instance.losses, attempts));
    }
    return out;
  }
}
