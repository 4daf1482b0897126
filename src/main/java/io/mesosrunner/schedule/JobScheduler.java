package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;


import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Demand;
import io.mesosrunner.match.MatchResult;
import io.mesosrunner.match.Matcher;
import io.mesosrunner.match.Occupancy;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import io.mesosrunner.schedule.AttemptRecord.EndCause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The state machine of one run of a job: events in, actions out.
 *
 * <p>It knows nothing of Mesos protobufs, HTTP or processes, and never reads the system clock:
 * time comes from the injected {@link Clock}, so tests drive it with a fake clock and no threads.
 * Not thread-safe: one thread (see {@code run.JobRun}) owns it and feeds it events one at a time.
 *
 * <p>Rules (DESIGN.md, "Scheduling rules"): the job succeeds when every instance index has ended
 * in TASK_FINISHED once; at most {@code parallelism} instances are staging or running; an attempt
 * that fails on its own (TASK_FAILED, TASK_ERROR, or past its timeout) is relaunched after an
 * exponential backoff (1 s, 2 s, 4 s ... at most 60 s), at most {@code retries} times; an attempt
 * lost to the infrastructure is relaunched at once without using up {@code retries}, at most
 * {@link #DEFAULT_MAX_LOSSES} times per instance. Every update carrying a uuid is acknowledged
 * after its state change is recorded. Offers are answered at once (launch or decline), never held.
 */
public final class JobScheduler {

  /** Infrastructure losses allowed per instance before the job fails (a failure-storm bound). */
  public static final int DEFAULT_MAX_LOSSES = 10;

  static final Duration BACKOFF_BASE = Duration.ofSeconds(1);
  static final Duration BACKOFF_MAX = Duration.ofSeconds(60);
  /** How long unusable offers are refused while something is still waiting. */
  static final Duration REFUSE_SHORT = Duration.ofSeconds(5);
  /** How long offers are refused when nothing waits (revive clears it). */
  static final Duration REFUSE_LONG = Duration.ofSeconds(120);
  /** How long a stopping run waits for killed tasks to report before it tears down anyway. */
  static final Duration STOP_GRACE = Duration.ofSeconds(20);
  /** How often a kill that got no terminal update is sent again. */
  static final Duration KILL_RESEND = Duration.ofSeconds(10);

  private static final Action.Teardown TEARDOWN = new Action.Teardown();

  private enum Phase { RUNNING, STOPPING, ENDED }

  private enum KillReason { TIMEOUT, STOP, DUPLICATE }

  /**
   * Mutable state of one instance. Kept small: a million-instance job holds a million of these.
   * Most instances have one attempt, so the first is a field and a list exists only for retries.
   */
  private static final class Inst {
    final int index;
    InstanceState state = InstanceState.PENDING;
    int failures;
    int losses;
    int attemptCount;
    Att first;
    List<Att> more;

    Inst(int index) {
      this.index = index;
    }

    void add(Att a) {
      if (first == null) {
        first = a;
      } else {
        if (more == null) more = new ArrayList<>(2);
        more.add(a);
      }
    }

    /** Every attempt, oldest first. */
    List<Att> attempts() {
      if (first == null) return List.of();
      if (more == null) return List.of(first);
      List<Att> all = new ArrayList<>(more.size() + 1);
      all.add(first);
      all.addAll(more);
      return all;
    }

    Att last() {
      return more == null ? first : more.get(more.size() - 1);
    }

    Att attempt(int number) {
      if (first != null && first.number == number) return first;
      if (more != null) {
        for (Att a : more) {
          if (a.number == number) return a;
        }
      }
      return null;
    }

    Att activeAttempt() {
      for (Att a : attempts()) {
        if (!a.terminal && a.killReason != KillReason.DUPLICATE) return a;
      }
      return null;
    }
  }

  /** No time recorded yet. */
  private static final long UNSET = Long.MIN_VALUE;

  /**
   * Mutable state of one attempt (one task). Its task id is derived, not stored, and times are
   * epoch milliseconds: a million-instance job holds at least a million of these.
   */
  private final class Att {
    final Inst inst;
    final int number;
    final String agentId;
    final String hostname;
    final Map<String, String> attributes;
    final long startedAt;
    TaskState state = TaskState.STAGING;
    Integer exitCode;
    String message;
    EndCause cause;
    long endedAt = UNSET;
    boolean terminal;
    KillReason killReason;
    long killSentAt = UNSET;

    Att(Inst inst, int number, String agentId, String hostname, Map<String, String> attributes, long startedAt) {
      this.inst = inst;
      this.number = number;
      this.agentId = agentId;
      this.hostname = hostname;
      this.attributes = attributes;
      this.startedAt = startedAt;
    }

    String taskId() {
      return taskIdOf(inst.index, number);
    }
  }

  private record Timer(Instant at, int instance, String taskId) {}

  private final Job job;
  private final RunInfo run;
  private final SchedulerJournal journal;
  private boolean resumed;
  private final Clock clock;
  private final int maxLosses;
  private final Instant startedAt;
  private final Instant deadlineAt;

  private final Inst[] instances;
  /** Instances never launched are exactly those with index >= nextFresh. */
  private int nextFresh;
  /** Instances waiting for a relaunch (PENDING), in the order they became pending. */
  private final ArrayDeque<Inst> requeued = new ArrayDeque<>();
  private final PriorityQueue<Timer> backoffs = new PriorityQueue<>(Comparator.comparing(Timer::at));
  private final PriorityQueue<Timer> timeouts = new PriorityQueue<>(Comparator.comparing(Timer::at));
  /** When kills that got no terminal update are due to be sent again. */
  private final PriorityQueue<Timer> killResends = new PriorityQueue<>(Comparator.comparing(Timer::at));
  /** Status messages seen, shared: "Command exited with status 0" a million times is one string. */
  private final Map<String, String> messages = new HashMap<>();
  /** Attempts not yet terminal (including duplicates being killed), by task id, in launch order. */
  private final Map<String, Att> live = new LinkedHashMap<>();

  private int pendingCount;
  private int backoffCount;
  private int activeCount;
  private int doneCount;
  private int failedCount;
  private long attemptTotal;

  private Phase phase = Phase.RUNNING;
  private Outcome outcome;
  private String outcomeReason;
  private Instant stopDeadline;
  private Instant endedAt;
  private boolean suppressed;
  private boolean everOffered;
  private boolean subscribedOnce;
  private boolean connected;
  private String frameworkId;
  private String clusterDescription;
  private String lastShortfall;

  public JobScheduler(Job job, RunInfo run, Clock clock) {
    this(job, run, clock, DEFAULT_MAX_LOSSES);
  }

  public JobScheduler(Job job, RunInfo run, Clock clock, int maxLosses) {
    this(job, run, clock, maxLosses, SchedulerJournal.NONE, null);
  }

  /**
   * A scheduler that records what happens in {@code journal} and, when {@code resume} is not null,
   * carries on an earlier run of the same job: completed instances stay completed, failure and
   * loss counts carry over, and tasks that may still run are reconciled (or relaunched).
   */
  public JobScheduler(Job job, RunInfo run, Clock clock, int maxLosses, SchedulerJournal journal, Resume resume) {
    this.job = job;
    this.run = run;
    this.clock = clock;
    this.maxLosses = maxLosses;
    this.journal = journal;
    this.startedAt = clock.instant();
    this.deadlineAt = job.deadline() == null ? null : startedAt.plus(job.deadline());
    this.instances = new Inst[job.instances()];
    this.pendingCount = job.instances();
    if (resume != null) restore(resume);
  }

  private void restore(Resume resume) {
    frameworkId = resume.frameworkId();
    Instant now = startedAt;
    for (Resume.Instance r : resume.instances()) {
      if (r.index() < 0 || r.index() >= instances.length) continue;
      Inst inst = new Inst(r.index());
      instances[r.index()] = inst;
      inst.failures = r.failures();
      inst.losses = r.losses();
      inst.attemptCount = r.attempts();
      if (r.completed()) {
        inst.state = InstanceState.DONE;
        doneCount++;
        pendingCount--;
        continue;
      }
      if (r.failed()) {
        inst.state = InstanceState.FAILED;
        failedCount++;
        pendingCount--;
        continue;
      }
      Resume.Task adopt = null;
      for (Resume.Task t : r.tasks()) {
        Att a = new Att(inst, t.attempt(), t.agentId(), t.hostname() == null ? t.agentId() : t.hostname(), Map.of(),
            t.startedAt().toEpochMilli());
        inst.add(a);
        if (t.state() != null) a.state = t.state();
        a.exitCode = t.exitCode();
        a.message = t.message();
        a.cause = t.cause();
        if (t.settled()) {
          a.terminal = true;
          a.endedAt = t.endedAt() == null ? UNSET : t.endedAt().toEpochMilli();
        } else if (resume.adoptLive() && adopt == null) {
          adopt = t;
          live.put(a.taskId(), a);
        } else if (resume.adoptLive()) {
          // Two live attempts of one instance: keep the first, kill the other once connected.
          live.put(a.taskId(), a);
          a.killReason = KillReason.DUPLICATE;
        } else {
          // The earlier runner's processes are gone: the attempt was lost with it.
          a.terminal = true;
          a.state = TaskState.LOST;
          a.cause = EndCause.LOST;
          a.message = "the runner stopped while it ran";
          a.endedAt = now.toEpochMilli();
          inst.losses++;
          journal.taskStateChanged(a.taskId(), a.state, null, a.message, a.cause, now);
        }
      }
      if (adopt != null) {
        inst.state = InstanceState.ACTIVE;
        activeCount++;
        pendingCount--;
        scheduleTimeout(inst.attempt(adopt.attempt()));
      } else {
        inst.state = InstanceState.PENDING;
        requeued.add(inst);
      }
    }
    resumed = true;
  }

  /** Consumes one event and returns what the cluster must do, in order. */
  public List<Action> handle(Event event) {
    List<Action> out = new ArrayList<>();
    if (phase == Phase.ENDED) {
      if (event instanceof Event.OffersReceived o) {
        declineAll(o.offers(), REFUSE_LONG, out);
      } else if (event instanceof Event.StatusUpdate u && u.status().needsAck()) {
        out.add(ack(u.status()));
      }
      return out;
    }
    Instant now = clock.instant();
    if (resumed) {
      resumed = false;
      if (doneCount == instances.length && outcome == null) {
        outcome = Outcome.SUCCEEDED;
        outcomeReason = "all " + instances.length + " instances completed";
        journal.runEnded(outcome, outcomeReason, now);
        beginStop(now, out);
      } else if (failedCount > 0) {
        stop(Outcome.FAILED, "an instance had already failed before the runner stopped", now, out);
      }
    }
    onTime(now, out);
    if (event instanceof Event.Subscribed s) {
      onSubscribed(s, out);
    } else if (event instanceof Event.OffersReceived o) {
      onOffers(o.offers(), now, out);
    } else if (event instanceof Event.StatusUpdate u) {
      onStatus(u.status(), now, out);
    } else if (event instanceof Event.AgentLost a) {
      onAgentLost(a.agentId(), out);
    } else if (event instanceof Event.Disconnected) {
      connected = false;
    } else if (event instanceof Event.ClusterFailed f) {
      onClusterFailed(f.reason(), now);
      return out;
    } else if (event instanceof Event.InterruptRequested i) {
      stop(Outcome.INTERRUPTED, i.why(), now, out);
    }
    // OfferRescinded needs nothing (offers are never held); Tick only lets time act.
    adjustOfferFlow(out);
    // Acknowledgements and kills of this event go out before the framework is torn down.
    if (out.remove(TEARDOWN)) out.add(TEARDOWN);
    return out;
  }

  // ---------------------------------------------------------------- events

  private void onSubscribed(Event.Subscribed s, List<Action> out) {
    if (s.frameworkId() != null && !s.frameworkId().equals(frameworkId)) journal.frameworkRegistered(s.frameworkId());
    frameworkId = s.frameworkId();
    clusterDescription = s.clusterDescription();
    connected = true;
    if (subscribedOnce || !live.isEmpty()) {
      List<Action.TaskRef> refs = new ArrayList<>(live.size());
      for (Att a : live.values()) refs.add(new Action.TaskRef(a.taskId(), a.agentId));
      if (!refs.isEmpty()) out.add(new Action.Reconcile(refs));
      // A kill sent before the connection dropped may have been lost with it.
      for (Att a : live.values()) {
        if (a.killReason != null) sendKill(a, a.killReason, out);
      }
    }
    subscribedOnce = true;
    // A new subscription starts with offers flowing.
    suppressed = false;
  }

  private void onClusterFailed(String reason, Instant now) {
    if (outcome == null) {
      outcome = Outcome.CLUSTER_FAILED;
      outcomeReason = reason;
    }
    abandonWaiting();
    phase = Phase.ENDED;
    endedAt = now;
  }

  private void onAgentLost(String agentId, List<Action> out) {
    List<Action.TaskRef> refs = new ArrayList<>();
    for (Att a : live.values()) {
      if (agentId.equals(a.agentId)) refs.add(new Action.TaskRef(a.taskId(), agentId));
    }
    if (!refs.isEmpty()) out.add(new Action.Reconcile(refs));
  }

  private void onOffers(List<Offer> offers, Instant now, List<Action> out) {
    everOffered = true;
    if (phase != Phase.RUNNING) {
      declineAll(offers, REFUSE_LONG, out);
      return;
    }
    int room = job.parallelism() - activeCount;
    int want = Math.min(pendingCount, room);
    if (want <= 0 || offers.isEmpty()) {
      declineAll(offers, pendingCount > 0 ? REFUSE_SHORT : REFUSE_LONG, out);
      return;
    }
    want = (int) Math.min(want, capacityEstimate(offers));
    List<Inst> taken = takePending(want);
    Resources need = new Resources(job.cpus(), job.memMb(), job.diskMb(), job.gpus());
    List<Demand> demands = new ArrayList<>(taken.size());
    Map<String, Inst> byDemand = new HashMap<>(taken.size() * 2);
    for (Inst inst : taken) {
      String id = Integer.toString(inst.index);
      demands.add(new Demand(id, job.role(), need, job.ports(), job.constraints()));
      byDemand.put(id, inst);
    }
    MatchResult result = Matcher.match(offers, demands, occupancy());

    Map<String, List<TaskSpec>> byOffer = new LinkedHashMap<>();
    for (Placement p : result.placements()) {
      Inst inst = byDemand.get(p.demandId());
      TaskSpec spec = launch(inst, p, now);
      byOffer.computeIfAbsent(p.offer().id(), k -> new ArrayList<>()).add(spec);
    }
    // Unplaced instances go back to the front of the queue, in their order.
    List<MatchResult.Unplaced> unplaced = result.unplaced();
    for (int i = unplaced.size() - 1; i >= 0; i--) {
      Inst inst = byDemand.get(unplaced.get(i).demandId());
      requeued.addFirst(inst);
    }
    lastShortfall = unplaced.isEmpty() ? null : unplaced.get(0).reason();

    Duration refuse = pendingCount > 0 ? REFUSE_SHORT : REFUSE_LONG;
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

  private void onStatus(TaskStatus s, Instant now, List<Action> out) {
    Att a = find(s.taskId());
    if (a == null) {
      // Not a task of this run (another run's, or a reconciliation answer about an unknown id).
      if (s.needsAck()) out.add(ack(s));
      return;
    }
    TaskState before = a.state;
    EndCause causeBefore = a.cause;
    boolean terminalBefore = a.terminal;
    if (!a.terminal) {
      a.state = s.state();
      if (s.message() != null) a.message = shared(s.message());
      if (s.exitCode() != null) a.exitCode = s.exitCode();
      if (s.state().isTerminal() || s.state() == TaskState.UNREACHABLE) {
        ended(a, s.state(), now, out);
      }
    } else {
      cameBack(a, s, now, out);
    }
    if (a.state != before || a.cause != causeBefore || a.terminal != terminalBefore) {
      journal.taskStateChanged(a.taskId(), a.state, a.exitCode, a.message, a.cause, now);
    }
    if (s.needsAck()) out.add(ack(s));
  }

  /** An update about an attempt already counted as ended: a late, repeated or resurrected task. */
  private void cameBack(Att a, TaskStatus s, Instant now, List<Action> out) {
    Inst inst = a.inst;
    TaskState st = s.state();
    if (st == TaskState.FINISHED && a.state != TaskState.FINISHED) {
      // It finished after all (e.g. unreachable, then the agent came back and it completed).
      a.state = st;
      if (s.exitCode() != null) a.exitCode = s.exitCode();
      a.cause = null;
      a.endedAt = now.toEpochMilli();
      if (inst.state != InstanceState.DONE && inst.state != InstanceState.FAILED) {
        Att other = inst.activeAttempt();
        if (other != null) sendKill(other, KillReason.DUPLICATE, out);
        dequeue(inst);
        complete(inst, a, now, out);
      }
      return;
    }
    if (endedOnItsAgent(a.state)) {
      // The task's own executor ended it; it cannot run again, so this update is a stale or
      // replayed one. Killing it would only turn the attempt's record into TASK_GONE.
      return;
    }
    if (!st.isTerminal() && st != TaskState.UNREACHABLE) {
      // A task we gave up on is running again.
      boolean replaceable = phase == Phase.RUNNING
          && (inst.state == InstanceState.PENDING || inst.state == InstanceState.BACKOFF);
      a.terminal = false;
      a.state = st;
      a.endedAt = UNSET;
      live.put(a.taskId(), a);
      if (replaceable) {
        dequeue(inst);
        a.cause = null;
        inst.losses = Math.max(0, inst.losses - 1);
        inst.state = InstanceState.ACTIVE;
        activeCount++;
        scheduleTimeout(a);
      } else {
        sendKill(a, phase == Phase.RUNNING ? KillReason.DUPLICATE : KillReason.STOP, out);
      }
    }
    // A repeated terminal update changes nothing: completions are counted once.
  }

  /** States only the task's executor reports, after which the task never runs again. */
  private static boolean endedOnItsAgent(TaskState st) {
    return st == TaskState.FINISHED || st == TaskState.FAILED || st == TaskState.ERROR || st == TaskState.KILLED;
  }

  private void ended(Att a, TaskState st, Instant now, List<Action> out) {
    Inst inst = a.inst;
    a.terminal = true;
    a.endedAt = now.toEpochMilli();
    live.remove(a.taskId());
    boolean counted = a.killReason != KillReason.DUPLICATE && inst.state == InstanceState.ACTIVE
        && inst.activeAttempt() == null;
    if (!counted) {
      // A duplicate of an instance that is handled elsewhere: it ends without consequence.
      if (a.cause == null && st != TaskState.FINISHED) a.cause = EndCause.DUPLICATE;
      if (st == TaskState.FINISHED && inst.state != InstanceState.DONE && phase == Phase.RUNNING
          && inst.state != InstanceState.FAILED) {
        dequeue(inst);
        complete(inst, a, now, out);
      }
      maybeFinishStop(now, out);
      return;
    }
    activeCount--;
    if (st == TaskState.FINISHED) {
      complete(inst, a, now, out);
    } else if (a.killReason == KillReason.STOP || phase != Phase.RUNNING) {
      a.cause = EndCause.STOPPED;
      inst.state = InstanceState.ABANDONED;
    } else if (a.killReason == KillReason.TIMEOUT) {
      a.cause = EndCause.TIMED_OUT;
      ownFailure(inst, now, out);
    } else if (st.isOwnFailure()) {
      a.cause = EndCause.FAILED;
      ownFailure(inst, now, out);
    } else {
      a.cause = EndCause.LOST;
      inst.losses++;
      if (inst.losses > maxLosses) {
        failInstance(inst, "instance " + inst.index + " was lost to the infrastructure "
            + inst.losses + " times (last: " + st + ")", now, out);
      } else {
        makePending(inst);
      }
    }
    maybeFinishStop(now, out);
  }

  private void complete(Inst inst, Att by, Instant now, List<Action> out) {
    inst.state = InstanceState.DONE;
    doneCount++;
    journal.instanceCompleted(inst.index, by.taskId(), now);
    if (doneCount == instances.length && outcome == null) {
      outcome = Outcome.SUCCEEDED;
      outcomeReason = "all " + instances.length + " instances completed";
      beginStop(now, out);
    }
  }

  private void ownFailure(Inst inst, Instant now, List<Action> out) {
    inst.failures++;
    if (inst.failures > job.retries()) {
      Att last = inst.last();
      failInstance(inst, "instance " + inst.index + " failed " + inst.failures + " time"
          + (inst.failures == 1 ? "" : "s") + " (retries: " + job.retries() + "), last: " + describeEnd(last), now, out);
      return;
    }
    inst.state = InstanceState.BACKOFF;
    backoffCount++;
    backoffs.add(new Timer(now.plus(backoff(inst.failures)), inst.index, null));
  }

  /** 1 s, 2 s, 4 s ... at most 60 s, for the n-th failure (n >= 1). */
  static Duration backoff(int failures) {
    int shift = Math.min(failures - 1, 20);
    Duration d = BACKOFF_BASE.multipliedBy(1L << shift);
    return d.compareTo(BACKOFF_MAX) > 0 ? BACKOFF_MAX : d;
  }

  private void failInstance(Inst inst, String why, Instant now, List<Action> out) {
    inst.state = InstanceState.FAILED;
    failedCount++;
    journal.instanceFailed(inst.index, why, now);
    stop(Outcome.FAILED, why, now, out);
  }

  /** Ends the run with {@code outcome} (first reason wins) and kills what still runs. */
  private void stop(Outcome why, String reason, Instant now, List<Action> out) {
    if (outcome == null) {
      outcome = why;
      outcomeReason = reason;
    }
    if (phase == Phase.RUNNING) beginStop(now, out);
  }

  private void beginStop(Instant now, List<Action> out) {
    phase = Phase.STOPPING;
    stopDeadline = now.plus(STOP_GRACE);
    abandonWaiting();
    for (Att a : List.copyOf(live.values())) {
      if (a.killReason == null) sendKill(a, KillReason.STOP, out);
    }
    maybeFinishStop(now, out);
  }

  private void abandonWaiting() {
    for (int i = 0; i < instances.length; i++) {
      Inst inst = instances[i];
      if (inst == null) continue;
      if (inst.state == InstanceState.PENDING || inst.state == InstanceState.BACKOFF) {
        inst.state = InstanceState.ABANDONED;
      }
    }
    requeued.clear();
    backoffs.clear();
    pendingCount = 0;
    backoffCount = 0;
  }

  private void maybeFinishStop(Instant now, List<Action> out) {
    if (phase == Phase.STOPPING && (live.isEmpty() || !now.isBefore(stopDeadline))) {
      phase = Phase.ENDED;
      endedAt = now;
      if (outcome == Outcome.SUCCEEDED || outcome == Outcome.FAILED) journal.runEnded(outcome, outcomeReason, now);
      out.add(TEARDOWN);
    }
  }

  private void onTime(Instant now, List<Action> out) {
    while (!backoffs.isEmpty() && !backoffs.peek().at().isAfter(now)) {
      Inst inst = instances[backoffs.poll().instance()];
      if (inst.state == InstanceState.BACKOFF) {
        backoffCount--;
        makePending(inst);
      }
    }
    while (!timeouts.isEmpty() && !timeouts.peek().at().isAfter(now)) {
      Att a = find(timeouts.poll().taskId());
      if (!a.terminal && a.killReason == null && phase == Phase.RUNNING) {
        sendKill(a, KillReason.TIMEOUT, out);
      }
    }
    if (phase == Phase.RUNNING && deadlineAt != null && !now.isBefore(deadlineAt)) {
      stop(Outcome.FAILED, "the job's deadline (" + Durations.format(job.deadline()) + ") passed with " + doneCount + " of " + instances.length + " instances completed", now, out);
    }
    while (!killResends.isEmpty() && !killResends.peek().at().isAfter(now)) {
      Att a = find(killResends.poll().taskId());
      if (a != null && !a.terminal && a.killSentAt != UNSET) {
        if (now.toEpochMilli() - a.killSentAt >= KILL_RESEND.toMillis()) {
          a.killSentAt = now.toEpochMilli();
          out.add(new Action.Kill(a.taskId(), a.agentId));
        }
        killResends.add(new Timer(Instant.ofEpochMilli(a.killSentAt).plus(KILL_RESEND), a.inst.index, a.taskId()));
      }
    }
    maybeFinishStop(now, out);
  }

  private void adjustOfferFlow(List<Action> out) {
    boolean want = phase == Phase.RUNNING && pendingCount > 0 && activeCount < job.parallelism();
    if (want && suppressed) {
      suppressed = false;
      out.add(new Action.Revive());
    } else if (!want && !suppressed && phase == Phase.RUNNING) {
      suppressed = true;
      out.add(new Action.Suppress());
    }
  }

  // ---------------------------------------------------------------- helpers

  private TaskSpec launch(Inst inst, Placement p, Instant now) {
    inst.attemptCount++;
    attemptTotal++;
    int attempt = inst.attemptCount;
    String taskId = job.name() + "." + inst.index + "." + attempt + "." + run.runId();
    Att a = new Att(inst, attempt, p.offer().agentId(), p.offer().hostname(), p.offer().attributes(), now.toEpochMilli());
    journal.taskLaunched(taskId, inst.index, attempt, p.offer().agentId(), p.offer().hostname(), now);
    inst.add(a);
    inst.state = InstanceState.ACTIVE;
    live.put(taskId, a);
    activeCount++;
    pendingCount--;
    scheduleTimeout(a);

    Map<String, String> env = new LinkedHashMap<>(job.env());
    env.put("RUNNER_JOB", job.name());
    env.put("RUNNER_INSTANCE", Integer.toString(inst.index));
    env.put("RUNNER_ATTEMPT", Integer.toString(attempt));
    env.put("RUNNER_RUN_ID", run.runId());
    List<Long> ports = p.ports();
    for (int i = 0; i < ports.size(); i++) env.put("PORT" + i, Long.toString(ports.get(i)));
    if (!ports.isEmpty()) env.put("PORT", Long.toString(ports.get(0)));

    Map<String, String> labels = new LinkedHashMap<>(job.labels());
    labels.put("runner.job", job.name());
    labels.put("runner.instance", Integer.toString(inst.index));
    labels.put("runner.attempt", Integer.toString(attempt));
    labels.put("runner.run", run.runId());
    if (run.jobFile() != null) labels.put("runner.file", run.jobFile());
    if (run.fileSha256() != null) labels.put("runner.file-sha256", run.fileSha256());
    if (run.gitCommit() != null) labels.put("runner.git-commit", run.gitCommit());
    return new TaskSpec(taskId, job, inst.index, attempt, p, env, labels);
  }

  private String taskIdOf(int index, int attempt) {
    return job.name() + "." + index + "." + attempt + "." + run.runId();
  }

  /**
   * The attempt a task id names, or null when it is not a task of this run. Parsed from the
   * right ({@code <job>.<instance>.<attempt>.<run>}; the job name may hold dots), so no map from
   * task id to attempt is needed.
   */
  private Att find(String taskId) {
    if (taskId == null || !taskId.startsWith(job.name()) || !taskId.endsWith("." + run.runId())) return null;
    int runDot = taskId.length() - run.runId().length() - 1;
    int attemptDot = taskId.lastIndexOf('.', runDot - 1);
    if (attemptDot <= job.name().length()) return null;
    int indexDot = taskId.lastIndexOf('.', attemptDot - 1);
    if (indexDot != job.name().length()) return null;
    try {
      int index = Integer.parseInt(taskId, indexDot + 1, attemptDot, 10);
      int attempt = Integer.parseInt(taskId, attemptDot + 1, runDot, 10);
      if (index < 0 || index >= instances.length || instances[index] == null) return null;
      return instances[index].attempt(attempt);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** One shared copy of each status message. */
  private String shared(String message) {
    if (message == null) return null;
    String known = messages.get(message);
    if (known != null) return known;
    if (messages.size() < 1000) messages.put(message, message);
    return message;
  }

  private void scheduleTimeout(Att a) {
    if (job.timeout() != null) timeouts.add(new Timer(clock.instant().plus(job.timeout()), a.inst.index, a.taskId()));
  }

  private List<Inst> takePending(int want) {
    List<Inst> taken = new ArrayList<>(want);
    while (taken.size() < want && !requeued.isEmpty()) {
      Inst inst = requeued.poll();
      if (inst.state == InstanceState.PENDING) taken.add(inst);
    }
    while (taken.size() < want && nextFresh < instances.length) {
      if (instances[nextFresh] != null) {
        nextFresh++; // restored from an earlier run: it is in the queue or settled
        continue;
      }
      Inst inst = new Inst(nextFresh);
      instances[nextFresh++] = inst;
      taken.add(inst);
    }
    return taken;
  }

  private void makePending(Inst inst) {
    inst.state = InstanceState.PENDING;
    pendingCount++;
    requeued.add(inst);
  }

  /** Takes a pending instance out of the waiting counts (it got a live attempt again). */
  private void dequeue(Inst inst) {
    if (inst.state == InstanceState.PENDING) {
      pendingCount--;
      requeued.remove(inst);
    } else if (inst.state == InstanceState.BACKOFF) {
      backoffCount--;
    }
  }

  private long capacityEstimate(List<Offer> offers) {
    long total = 0;
    for (Offer o : offers) {
      Resources r = o.resources();
      double fit = Double.MAX_VALUE;
      fit = Math.min(fit, r.cpus() / job.cpus());
      fit = Math.min(fit, r.memMb() / job.memMb());
      if (job.diskMb() > 0) fit = Math.min(fit, r.diskMb() / job.diskMb());
      if (job.gpus() > 0) fit = Math.min(fit, r.gpus() / job.gpus());
      total += (long) Math.min(fit + 1, 1_000_000);
    }
    return Math.max(1, total);
  }

  private List<Occupancy> occupancy() {
    if (job.constraints().isEmpty()) return List.of();
    List<Occupancy> occ = new ArrayList<>(live.size());
    for (Att a : live.values()) occ.add(new Occupancy(a.hostname, a.attributes));
    return occ;
  }

  private void sendKill(Att a, KillReason why, List<Action> out) {
    if (a.killReason == null || why == KillReason.STOP) a.killReason = why;
    Instant now = clock.instant();
    if (a.killSentAt == UNSET) killResends.add(new Timer(now.plus(KILL_RESEND), a.inst.index, a.taskId()));
    a.killSentAt = now.toEpochMilli();
    out.add(new Action.Kill(a.taskId(), a.agentId));
  }

  private static void declineAll(Collection<Offer> offers, Duration refuse, List<Action> out) {
    if (offers.isEmpty()) return;
    out.add(new Action.Decline(offers.stream().map(Offer::id).toList(), refuse));
  }

  private static Action.Acknowledge ack(TaskStatus s) {
    return new Action.Acknowledge(s.taskId(), s.agentId(), s.uuid());
  }

  private String describeEnd(Att a) {
    if (a.cause == EndCause.TIMED_OUT) return "timed out after " + Durations.format(job.timeout());
    if (a.exitCode != null) return "exit code " + a.exitCode;
    return a.state + (a.message == null ? "" : " (" + a.message + ")");
  }

  // ---------------------------------------------------------------- queries

  /** Whether the run is over (the caller stops feeding events). */
  public boolean isEnded() {
    return phase == Phase.ENDED;
  }

  /** How the run ended, or null while it runs. */
  public Outcome outcome() {
    return outcome;
  }

  /** One line saying why the run ended, or null while it runs. */
  public String outcomeReason() {
    return outcomeReason;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** When the run ended, or null. */
  public Instant endedAt() {
    return endedAt;
  }

  public Job job() {
    return job;
  }

  public RunInfo run() {
    return run;
  }

  /** The framework id of the latest subscription, or null. */
  public String frameworkId() {
    return frameworkId;
  }

  /** What the cluster said it is at the latest subscription, or null. */
  public String clusterDescription() {
    return clusterDescription;
  }

  /** Task ids of attempts not yet ended (including duplicates being killed). */
  public List<String> liveTaskIds() {
    return List.copyOf(live.keySet());
  }

  /** The counters for a status line; cost does not grow with the number of instances. */
  public Progress progress() {
    int waiting = pendingCount + backoffCount;
    return new Progress(instances.length, doneCount, activeCount, waiting, failedCount, attemptTotal, waitReason(waiting));
  }

  private String waitReason(int waiting) {
    if (waiting == 0 || phase != Phase.RUNNING) return "";
    if (pendingCount == 0) {
      Timer next = backoffs.peek();
      long secs = next == null ? 0 : Math.max(0, Duration.between(clock.instant(), next.at()).toSeconds());
      return "backoff after failure (next retry in " + secs + "s)";
    }
    if (activeCount >= job.parallelism()) return "parallelism (" + activeCount + " running, limit " + job.parallelism() + ")";
    if (frameworkId == null) return "connecting to the cluster";
    if (!connected) return "reconnecting to the cluster";
    if (!everOffered) return "no offers yet";
    if (lastShortfall != null) return lastShortfall;
    return "waiting for offers";
  }

  /** Every instance with its attempts, for the summary and the report. */
  public List<InstanceRecord> instances() {
    List<InstanceRecord> out = new ArrayList<>(instances.length);
    for (int i = 0; i < instances.length; i++) {
      Inst inst = instances[i];
      if (inst == null) {
        InstanceState st = phase == Phase.RUNNING ? InstanceState.PENDING : InstanceState.ABANDONED;
        out.add(new InstanceRecord(i, st, 0, 0, List.of()));
        continue;
      }
      List<Att> all = inst.attempts();
      List<AttemptRecord> atts = new ArrayList<>(all.size());
      for (Att a : all) {
        atts.add(new AttemptRecord(a.taskId(), a.number, a.agentId, a.hostname, a.state, a.exitCode,
            a.message, a.cause, Instant.ofEpochMilli(a.startedAt), a.endedAt == UNSET ? null : Instant.ofEpochMilli(a.endedAt),
            null));
      }
      out.add(new InstanceRecord(i, inst.state, inst.failures, inst.losses, atts));
    }
    return out;
  }
}
