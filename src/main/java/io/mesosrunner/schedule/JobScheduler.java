package io.mesosrunner.schedule;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.job.Durations;
import io.mesosrunner.job.Job;
import io.mesosrunner.job.OnFailure;
import io.mesosrunner.job.Pipeline;
import io.mesosrunner.match.Offer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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
 *
 * <p>Its parts: {@link AttemptTable} (instances, attempts, counts by state, task ids),
 * {@link Timers} (backoffs, timeouts, kill resends), {@link LaunchPlanner} (what goes on which
 * offer) and {@link Restorer} (carrying on an earlier run). Instance states change only through
 * {@link AttemptTable#move}.
 */
public final class JobScheduler {

  /** Infrastructure losses allowed per instance before the job fails (a failure-storm bound). */
  public static final int DEFAULT_MAX_LOSSES = 10;

  /** How long unusable offers are refused while something is still waiting. */
  static final Duration REFUSE_SHORT = Duration.ofSeconds(5);
  /** How long offers are refused when nothing waits (revive clears it). */
  static final Duration REFUSE_LONG = Duration.ofSeconds(120);
  /** How long a stopping run waits for killed tasks to report before it tears down anyway. */
  static final Duration STOP_GRACE = RunPhase.STOP_GRACE;

  private final Pipeline pipeline;
  /** The pipeline's top-level view: its name, deadline, total instances. */
  private final Job job;
  private final RunInfo run;
  private final SchedulerJournal journal;
  private final Clock clock;
  private final int maxLosses;
  private final Instant startedAt;
  private final Instant deadlineAt;
  private final AttemptTable table;
  private final Timers timers;
  private final LaunchPlanner planner;
  private final Kills kills;
  private final RunPhase phase;
  private final TaskUpdates updates;

  /** Steps ready and not yet completed at the last look: one more means offers are revived at once. */
  private int readySteps;
  private boolean resumed;
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

  JobScheduler(Job job, RunInfo run, Clock clock, int maxLosses) {
    this(job, run, clock, maxLosses, SchedulerJournal.NONE, null);
  }

  /**
   * A scheduler that records what happens in {@code journal} and, when {@code resume} is not null,
   * carries on an earlier run of the same job: completed instances stay completed, failure and
   * loss counts carry over, and tasks that may still run are reconciled (or relaunched).
   */
  public JobScheduler(Job job, RunInfo run, Clock clock, int maxLosses, SchedulerJournal journal, Resume resume) {
    this(Pipeline.of(job), run, clock, maxLosses, journal, resume);
  }

  /**
   * A scheduler for every step of {@code pipeline} as one run: a step's instances are offered
   * once every step it needs has completed; a step that fails for good stops the run
   * ({@code on_failure: stop}) or has the steps that need it skipped ({@code continue}).
   */
  public JobScheduler(Pipeline pipeline, RunInfo run, Clock clock, int maxLosses, SchedulerJournal journal,
      Resume resume) {
    this.pipeline = pipeline;
    Job job = pipeline.summary();
    this.job = job;
    this.run = run;
    this.clock = clock;
    this.maxLosses = maxLosses;
    this.journal = journal;
    this.startedAt = clock.instant();
    this.deadlineAt = job.deadline() == null ? null : startedAt.plus(job.deadline());
    StepGraph steps = new StepGraph(pipeline);
    this.table = new AttemptTable(steps, run.runId());
    this.timers = new Timers(i -> steps.jobOf(i).timeout());
    this.planner = new LaunchPlanner(run, table, timers, journal);
    this.kills = new Kills(table, timers, clock);
    this.phase = new RunPhase(table, planner, timers, kills, journal);
    this.updates = new TaskUpdates(maxLosses, clock, table, planner, timers, kills, phase, journal);
    if (resume != null) {
      frameworkId = resume.frameworkId();
      new Restorer(table, planner, timers, journal).restore(resume, startedAt);
      resumed = true;
    }
    readySteps = readyUnfinishedSteps();
  }

  /** Consumes one event and returns what the cluster must do, in order. */
  public List<Action> handle(Event event) {
    List<Action> out = new ArrayList<>();
    if (phase.ended()) {
      // Only what must still be answered: offers are declined, updates acknowledged.
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
      settleResumed(now, out);
    }
    onTime(now, out);
    event.accept(new Dispatch(now, out));
    adjustOfferFlow(out);
    // Acknowledgements and kills of this event go out before the framework is torn down.
    if (out.remove(RunPhase.TEARDOWN)) out.add(RunPhase.TEARDOWN);
    return out;
  }

  /** Routes each kind of event to its handler; the visitor makes the dispatch exhaustive. */
  private final class Dispatch implements Event.Visitor {
    private final Instant now;
    private final List<Action> out;

    Dispatch(Instant now, List<Action> out) {
      this.now = now;
      this.out = out;
    }

    @Override public void subscribed(Event.Subscribed e) { onSubscribed(e, out); }
    @Override public void offersReceived(Event.OffersReceived e) { onOffers(e.offers(), now, out); }
    @Override public void offerRescinded(Event.OfferRescinded e) { /* offers are never held */ }
    @Override public void statusUpdate(Event.StatusUpdate e) { updates.onStatus(e.status(), now, out); }
    @Override public void agentLost(Event.AgentLost e) { onAgentLost(e.agentId(), out); }
    @Override public void disconnected(Event.Disconnected e) { connected = false; }
    @Override public void clusterFailed(Event.ClusterFailed e) { phase.clusterFailed(e.reason(), now); }
    @Override public void tick(Event.Tick e) { /* only lets time act, done before dispatch */ }
    @Override public void interruptRequested(Event.InterruptRequested e) { phase.stop(Outcome.INTERRUPTED, e.why(), now, out); }
  }

  // ---------------------------------------------------------------- events

  /** A resumed run whose instances had all completed, or one had failed, ends at once. */
  private void settleResumed(Instant now, List<Action> out) {
    if (table.count(InstanceState.DONE) == table.size()) {
      journal.runEnded(Outcome.SUCCEEDED, "all " + table.size() + " instances completed", now);
      phase.succeed(now, out);
    } else if (failedStepStops()) {
      phase.stop(Outcome.FAILED, "an instance had already failed before the runner stopped", now, out);
    } else {
      updates.skipDependentsOfFailed();
      updates.settleIfAllEnded(now, out);
    }
  }

  /** Whether a step with {@code on_failure: stop} has a failed instance. */
  private boolean failedStepStops() {
    StepGraph steps = table.steps();
    for (int s = 0; s < steps.size(); s++) {
      if (steps.failed(s) && steps.job(s).onFailure() == OnFailure.STOP) return true;
    }
    return false;
  }

  private void onSubscribed(Event.Subscribed s, List<Action> out) {
    if (s.frameworkId() != null && !s.frameworkId().equals(frameworkId)) journal.frameworkRegistered(s.frameworkId());
    frameworkId = s.frameworkId();
    clusterDescription = s.clusterDescription();
    connected = true;
    Collection<Attempt> live = table.live();
    if (subscribedOnce || !live.isEmpty()) {
      List<Action.TaskRef> refs = new ArrayList<>(live.size());
      for (Attempt a : live) refs.add(new Action.TaskRef(table.taskId(a), a.agentId));
      if (!refs.isEmpty()) out.add(new Action.Reconcile(refs));
      // A kill sent before the connection dropped may have been lost with it.
      for (Attempt a : live) {
        if (a.killReason != null) kills.send(a, a.killReason, out);
      }
    }
    subscribedOnce = true;
    // A new subscription starts with offers flowing.
    suppressed = false;
  }

  private void onAgentLost(String agentId, List<Action> out) {
    List<Action.TaskRef> refs = new ArrayList<>();
    for (Attempt a : table.live()) {
      if (agentId.equals(a.agentId)) refs.add(new Action.TaskRef(table.taskId(a), agentId));
    }
    if (!refs.isEmpty()) out.add(new Action.Reconcile(refs));
  }

  private void onOffers(List<Offer> offers, Instant now, List<Action> out) {
    everOffered = true;
    if (!phase.running()) {
      declineAll(offers, REFUSE_LONG, out);
      return;
    }
    if (planner.startable() <= 0 || offers.isEmpty()) {
      declineAll(offers, planner.pendingReady() > 0 ? REFUSE_SHORT : REFUSE_LONG, out);
      return;
    }
    lastShortfall = planner.launch(offers, now, out);
  }

  // ---------------------------------------------------------------- time

  private void onTime(Instant now, List<Action> out) {
    for (Timers.Timer t; (t = timers.dueBackoff(now)) != null; ) {
      Instance instance = table.get(t.instance());
      if (instance.state == InstanceState.BACKOFF) updates.makePending(instance);
    }
    for (Timers.Timer t; (t = timers.dueTimeout(now)) != null; ) {
      Attempt a = table.find(t.taskId());
      if (!a.terminal && a.killReason == null && phase.running()) kills.send(a, KillReason.TIMEOUT, out);
    }
    if (phase.running() && deadlineAt != null && !now.isBefore(deadlineAt)) {
      phase.stop(Outcome.FAILED, "the job's deadline (" + Durations.format(job.deadline()) + ") passed with "
          + table.count(InstanceState.DONE) + " of " + table.size() + " instances completed", now, out);
    }
    updates.endDueGraces(now, out);
    kills.resendDue(now, out);
    phase.maybeFinish(now, out);
  }

  private void adjustOfferFlow(List<Action> out) {
    boolean want = phase.running() && planner.startable() > 0;
    int ready = readyUnfinishedSteps();
    boolean stepBecameReady = ready > readySteps;
    readySteps = ready;
    if (want && (suppressed || stepBecameReady && pipeline.steps().size() > 1)) {
      // A step that just became ready gets offers now, not when the filters on declined ones expire.
      suppressed = false;
      out.add(new Action.Revive());
    } else if (!want && !suppressed && phase.running()) {
      suppressed = true;
      out.add(new Action.Suppress());
    }
  }

  private int readyUnfinishedSteps() {
    StepGraph steps = table.steps();
    int n = 0;
    for (int s = 0; s < steps.size(); s++) {
      if (steps.ready(s) && !steps.completed(s)) n++;
    }
    return n;
  }

  // ---------------------------------------------------------------- helpers

  private static void declineAll(Collection<Offer> offers, Duration refuse, List<Action> out) {
    if (offers.isEmpty()) return;
    out.add(new Action.Decline(offers.stream().map(Offer::id).toList(), refuse));
  }

  static Action.Acknowledge ack(TaskStatus s) {
    return new Action.Acknowledge(s.taskId(), s.agentId(), s.uuid());
  }

  // ---------------------------------------------------------------- queries

  /** Whether the run is over (the caller stops feeding events). */
  public boolean isEnded() {
    return phase.ended();
  }

  /** How the run ended, or null while it runs. */
  public Outcome outcome() {
    return phase.outcome();
  }

  /** One line saying why the run ended, or null while it runs. */
  public String outcomeReason() {
    return phase.reason();
  }

  public Instant startedAt() {
    return startedAt;
  }

  /** When the run ended, or null. */
  public Instant endedAt() {
    return phase.endedAt();
  }

  /** The job, or for a pipeline its top-level view (name, deadline, every step's instances). */
  public Job job() {
    return job;
  }

  public Pipeline pipeline() {
    return pipeline;
  }

  /** Why step {@code step} was not run (a step it needs failed), or null when it was not skipped. */
  public String skipReason(String step) {
    StepGraph steps = table.steps();
    return steps.skipReason(steps.indexOf(step));
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
  List<String> liveTaskIds() {
    return table.liveTaskIds();
  }

  /** The counters for a status line; cost does not grow with the number of instances. */
  public Progress progress() {
    int pending = table.count(InstanceState.PENDING);
    int waiting = pending + table.count(InstanceState.BACKOFF);
    // An instance whose agent is unreachable keeps its place (parallelism) but waits, and says for what.
    int forAgent = phase.running() ? table.inGraceCount() : 0;
    String reason = waitReason(waiting, pending);
    if (forAgent > 0) {
      String grace = updates.graceReason(clock.instant());
      reason = reason.isEmpty() ? grace : grace + "; " + reason;
    }
    return new Progress(table.size(), table.count(InstanceState.DONE), table.count(InstanceState.ACTIVE) - forAgent,
        waiting + forAgent, table.count(InstanceState.FAILED), table.attemptTotal(), reason);
  }

  private String waitReason(int waiting, int pending) {
    if (waiting == 0 || !phase.running()) return "";
    int active = table.count(InstanceState.ACTIVE);
    if (pending > 0 && planner.pendingReady() == 0 && table.count(InstanceState.BACKOFF) == 0) {
      return "steps they need: " + String.join(", ", table.steps().unmetNeedsUnderWay());
    }
    if (pending == 0) {
      Instant next = timers.nextBackoffEnd();
      long secs = next == null ? 0 : Math.max(0, Duration.between(clock.instant(), next).toSeconds());
      return "backoff after failure (next retry in " + secs + "s)";
    }
    if (planner.startable() == 0 && planner.pendingReady() > 0) {
      return "parallelism (" + active + " running, limit " + job.parallelism() + ")";
    }
    if (frameworkId == null) return "connecting to the cluster";
    if (!connected) return "reconnecting to the cluster";
    if (!everOffered) return "no offers yet";
    if (lastShortfall != null) return lastShortfall;
    return "waiting for offers";
  }

  /**
   * The attempts that failed, timed out or were lost since the last call, oldest first, each with
   * whether and when its instance is retried (for lines such as "instance 3 attempt 1 failed
   * (exit 7), retrying in 1s"). Held until taken, at most 10,000.
   */
  public List<AttemptEnded> takeEndedAttempts() {
    return updates.takeEnded();
  }

  /** Every instance with its attempts, for the summary and the report. */
  public List<InstanceRecord> instances() {
    return table.records(phase.running());
  }
}
