package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.Step;
import io.mesosrunner.match.Demand;
import io.mesosrunner.match.MatchResult;
import io.mesosrunner.match.OfferMatcher;
import io.mesosrunner.match.Occupancy;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which waiting instances go on which offers, and what each launched task is told: the queue of
 * instances waiting for a relaunch, the matching of a batch of them against the offers, the
 * launch of what was placed (recorded, then ACTIVE, with its timeout started) and the task's
 * environment and labels. Every offer given is answered.
 *
 * <p>In a pipeline only the instances of ready steps (every step they need has completed) are
 * offered, each step within its own {@code parallelism}, and all of them go through one matcher
 * pass, so one offer can take instances of several steps.
 */
final class LaunchPlanner {

  /** One instance placed on an offer. */
  record Assignment(Instance instance, Placement placement) {}

  /**
   * @param assignments in queue order
   * @param shortfall   why the first instance left waiting was not placed, or null when all were
   */
  record Plan(List<Assignment> assignments, String shortfall) {}

  private final RunInfo run;
  private final AttemptTable table;
  private final StepGraph steps;
  private final Timers timers;
  private final SchedulerJournal journal;
  private final Resources[] need;
  /** Instances waiting for a relaunch (PENDING), in the order they became pending. */
  private final ArrayDeque<Instance> requeued = new ArrayDeque<>();

  LaunchPlanner(RunInfo run, AttemptTable table, Timers timers, SchedulerJournal journal) {
    this.run = run;
    this.table = table;
    this.steps = table.steps();
    this.timers = timers;
    this.journal = journal;
    this.need = new Resources[steps.size()];
    for (int s = 0; s < steps.size(); s++) {
      Job job = steps.job(s);
      need[s] = new Resources(job.cpus(), job.memMb(), job.diskMb(), job.gpus());
    }
  }

  /** Puts a PENDING instance at the back of the queue. */
  void requeue(Instance instance) {
    requeued.add(instance);
  }

  /** Takes an instance out of the queue (it got a live attempt again). */
  void forget(Instance instance) {
    requeued.remove(instance);
  }

  void clear() {
    requeued.clear();
  }

  /** How many more instances of step {@code s} may start now (0 when it is not ready). */
  int startable(int s) {
    if (!steps.ready(s)) return 0;
    int room = steps.job(s).parallelism() - steps.count(s, InstanceState.ACTIVE);
    return Math.max(0, Math.min(steps.count(s, InstanceState.PENDING), room));
  }

  /** How many instances may start now, over every ready step. */
  int startable() {
    int total = 0;
    for (int s = 0; s < steps.size(); s++) total += startable(s);
    return total;
  }

  /** How many instances wait for an offer in ready steps (whatever their parallelism). */
  int pendingReady() {
    int total = 0;
    for (int s = 0; s < steps.size(); s++) {
      if (steps.ready(s)) total += steps.count(s, InstanceState.PENDING);
    }
    return total;
  }

  /**
   * Matches the waiting instances that may start (requeued ones first, then never-launched ones
   * in index order) against {@code offers}. Those left unplaced go back to the front of the
   * queue, in their order.
   */
  private Plan plan(List<Offer> offers, List<Occupancy> occupancy) {
    int[] budget = new int[steps.size()];
    long want = 0;
    for (int s = 0; s < steps.size(); s++) want += budget[s] = startable(s);
    List<Instance> taken = takePending(budget, (int) Math.min(want, capacityEstimate(offers)));
    List<Demand> demands = new ArrayList<>(taken.size());
    Map<String, Instance> byDemand = new HashMap<>(taken.size() * 2);
    for (Instance instance : taken) {
      String id = Integer.toString(instance.index);
      int s = steps.stepOf(instance.index);
      Job job = steps.job(s);
      demands.add(new Demand(id, job.role(), need[s], job.ports(), job.constraints()));
      byDemand.put(id, instance);
    }
    MatchResult result = OfferMatcher.match(offers, demands, occupancy);
    List<Assignment> assignments = new ArrayList<>(result.placements().size());
    for (Placement p : result.placements()) assignments.add(new Assignment(byDemand.get(p.demandId()), p));
    List<MatchResult.Unplaced> unplaced = result.unplaced();
    for (int i = unplaced.size() - 1; i >= 0; i--) requeued.addFirst(byDemand.get(unplaced.get(i).demandId()));
    return new Plan(assignments, unplaced.isEmpty() ? null : unplaced.get(0).reason());
  }

  /**
   * Launches the waiting instances that may start on {@code offers} and answers every offer
   * (launch or decline; what is left of an offer is refused briefly while something still waits,
   * long when nothing does).
   *
   * @return why the first instance left waiting was not placed, or null when all were
   */
  String launch(List<Offer> offers, Instant now, List<Action> out) {
    Plan plan = plan(offers, occupancy());
    Map<String, List<TaskSpec>> byOffer = new LinkedHashMap<>();
    for (Assignment as : plan.assignments()) {
      Offer offer = as.placement().offer();
      Attempt a = table.launch(as.instance(), offer.agentId(), offer.hostname(), offer.attributes(), now);
      String taskId = table.taskId(a);
      journal.taskLaunched(taskId, a.instance.index, a.number, offer.agentId(), offer.hostname(), now);
      table.move(a.instance, InstanceState.ACTIVE);
      timers.startTimeout(a.instance.index, taskId, now);
      byOffer.computeIfAbsent(offer.id(), k -> new ArrayList<>()).add(taskSpec(a, as.placement()));
    }
    answer(offers, byOffer, pendingReady() > 0 ? JobScheduler.REFUSE_SHORT : JobScheduler.REFUSE_LONG, out);
    return plan.shortfall();
  }

  /**
   * Where the live attempts are, for constraints such as hostname UNIQUE (none needed without).
   * Only the attempts of steps with constraints count: a step's UNIQUE is about its own tasks.
   */
  private List<Occupancy> occupancy() {
    boolean any = false;
    for (int s = 0; s < steps.size(); s++) any |= !steps.job(s).constraints().isEmpty();
    if (!any) return List.of();
    List<Occupancy> occupied = new ArrayList<>(table.live().size());
    for (Attempt a : table.live()) {
      if (!steps.jobOf(a.instance.index).constraints().isEmpty()) occupied.add(new Occupancy(a.hostname, a.attributes));
    }
    return occupied;
  }

  /** What the cluster is told to launch for attempt {@code a}, placed at {@code p}. */
  private TaskSpec taskSpec(Attempt a, Placement p) {
    int s = steps.stepOf(a.instance.index);
    Step step = steps.step(s);
    Job job = step.job();
    int local = a.instance.index - step.first();
    boolean single = steps.pipeline().single();
    Map<String, String> env = new LinkedHashMap<>(job.env());
    env.putAll(step.matrixOf(local));
    env.put("RUNNER_JOB", job.name());
    if (!single) env.put("RUNNER_STEP", step.name());
    env.put("RUNNER_INSTANCE", Integer.toString(local));
    env.put("RUNNER_INSTANCES", Integer.toString(job.instances()));
    env.put("RUNNER_ATTEMPT", Integer.toString(a.number));
    env.put("RUNNER_RUN_ID", run.runId());
    List<Long> ports = p.ports();
    for (int i = 0; i < ports.size(); i++) env.put("PORT" + i, Long.toString(ports.get(i)));
    if (!ports.isEmpty()) env.put("PORT", Long.toString(ports.get(0)));

    Map<String, String> labels = new LinkedHashMap<>(job.labels());
    labels.put("runner.job", job.name());
    if (!single) labels.put("runner.step", step.name());
    labels.put("runner.instance", Integer.toString(local));
    labels.put("runner.attempt", Integer.toString(a.number));
    labels.put("runner.run", run.runId());
    if (run.jobFile() != null) labels.put("runner.file", run.jobFile());
    if (run.fileSha256() != null) labels.put("runner.file-sha256", run.fileSha256());
    if (run.gitCommit() != null) labels.put("runner.git-commit", run.gitCommit());
    return new TaskSpec(table.taskId(a), job, single ? null : step.name(), local, a.number, p, env, labels,
        step.outputs());
  }

  /** Answers every offer: a launch for those that got tasks, one decline for the rest. */
  private static void answer(List<Offer> offers, Map<String, List<TaskSpec>> byOffer, Duration refuse, List<Action> out) {
    List<String> unused = new ArrayList<>();
    for (Offer o : offers) {
      List<TaskSpec> specs = byOffer.get(o.id());
      if (specs == null) {
        unused.add(o.id());
      } else {
        out.add(new Action.Launch(o.id(), o.agentId(), specs, refuse));
      }
    }
    if (!unused.isEmpty()) out.add(new Action.Decline(unused, refuse));
  }

  /** Up to {@code want} waiting instances, each step's at most its {@code budget}. */
  private List<Instance> takePending(int[] budget, int want) {
    List<Instance> taken = new ArrayList<>(want);
    List<Instance> overBudget = new ArrayList<>();
    while (taken.size() < want && !requeued.isEmpty()) {
      Instance instance = requeued.poll();
      if (instance.state != InstanceState.PENDING) continue;
      int s = steps.stepOf(instance.index);
      if (budget[s] > 0) {
        budget[s]--;
        taken.add(instance);
      } else {
        overBudget.add(instance);
      }
    }
    for (int i = overBudget.size() - 1; i >= 0; i--) requeued.addFirst(overBudget.get(i));
    for (int s = 0; s < steps.size() && taken.size() < want; s++) {
      while (budget[s] > 0 && taken.size() < want) {
        Instance fresh = table.nextFresh(s);
        if (fresh == null) break;
        budget[s]--;
        taken.add(fresh);
      }
    }
    return taken;
  }

  /** An upper bound of how many instances the offers can take, so a huge queue is not matched whole. */
  private long capacityEstimate(List<Offer> offers) {
    long total = 0;
    for (int s = 0; s < steps.size(); s++) {
      if (startable(s) == 0) continue;
      // The sum over steps over-estimates, which only makes the batch larger than needed.
      Job job = steps.job(s);
      for (Offer o : offers) {
        Resources r = o.resources();
        double fit = Double.MAX_VALUE;
        fit = Math.min(fit, r.cpus() / job.cpus());
        fit = Math.min(fit, r.memMb() / job.memMb());
        if (job.diskMb() > 0) fit = Math.min(fit, r.diskMb() / job.diskMb());
        if (job.gpus() > 0) fit = Math.min(fit, r.gpus() / job.gpus());
        total += (long) Math.min(fit + 1, 1_000_000);
      }
    }
    return Math.max(1, total);
  }
}
