package io.mesosrunner.run;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.match.Offer;
import io.mesosrunner.report.RunReport;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.schedule.AttemptRecord;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.schedule.InstanceRecord;
import io.mesosrunner.schedule.InstanceState;
import io.mesosrunner.schedule.AttemptEnded;
import io.mesosrunner.schedule.Progress;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.state.JournalWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the run's picture needs beyond the scheduler's own records, gathered while the job runs:
 * utilisation samples (cpus in use, cpus the offers held, why instances wait) and the last stderr
 * lines of attempts that did not finish. Both go into the run's journal, so {@code runner report}
 * can draw the run later.
 *
 * <p>It sits between the cluster and the run loop as a pass-through: {@link #around(Cluster)}
 * watches the events and output the adapter delivers (adapter threads), {@link
 * #around(JobRun.Observer)} takes a sample at the loop's progress calls (the loop thread, which
 * also owns the journal writer). A sample is written only when something changed, at most every
 * {@link #SAMPLE_EVERY_MS}, and at least every {@link #HEARTBEAT_MS}, so the journal grows by a few
 * small records a second at most.
 */
public final class RunTrace {

  static final long SAMPLE_EVERY_MS = 200;
  static final long HEARTBEAT_MS = 5_000;
  /** How long an agent's latest offer counts as what it holds (a little over the scheduler's short refusal). */
  static final long OFFER_FRESH_MS = 6_000;
  static final int TAIL_LINES = 10;
  static final int TAIL_LINE_CHARS = 300;
  /** Stderr tails kept in memory (of attempts not known to have finished), and written at the end. */
  static final int MAX_TAILS = 10_000;

  private final Clock clock;
  private final double cpusPerTask;
  private final JournalWriter writer;
  /**
   * Per agent, the free cpus its latest offer held, less what was launched on it since, and when
   * that offer came. Guarded by {@code this}.
   */
  private final Map<String, double[]> offeredByAgent = new HashMap<>();
  /** Stderr tails by task id, oldest first. Guarded by {@code this}. */
  private final LinkedHashMap<String, ArrayDeque<String>> tails = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<String>> eldest) {
      return size() > MAX_TAILS;
    }
  };
  private final List<RunReport.Sample> samples = new ArrayList<>();
  private long lastSampleMs = Long.MIN_VALUE;
  private RunReport.Sample last;

  public RunTrace(Clock clock, double cpusPerTask, JournalWriter writer) {
    this.clock = clock;
    this.cpusPerTask = cpusPerTask;
    this.writer = writer;
  }

  /** The cluster, watched. */
  public Cluster around(Cluster cluster) {
    return new Cluster() {
      @Override
      public void start(ClusterListener listener) {
        cluster.start(new ClusterListener() {
          @Override
          public void onEvent(Event event) {
            seen(event);
            listener.onEvent(event);
          }

          @Override
          public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
            if (stream == OutputStreamKind.STDERR) keep(task.taskId(), new String(line, StandardCharsets.UTF_8));
            listener.onOutput(task, stream, line, end);
          }
        });
      }

      @Override
      public void execute(Action action) {
        if (action instanceof Action.Launch launch) launched(launch);
        cluster.execute(action);
      }

      @Override
      public String sandboxOf(String taskId) {
        return cluster.sandboxOf(taskId);
      }

      @Override
      public String description() {
        return cluster.description();
      }

      @Override
      public void close() {
        cluster.close();
      }
    };
  }

  /** The observer, with a sample taken at each progress call. */
  public JobRun.Observer around(JobRun.Observer observer) {
    return new JobRun.Observer() {
      @Override
      public void onOutput(TaskSpec task, ClusterListener.OutputStreamKind stream, byte[] line, LineEnd end) {
        observer.onOutput(task, stream, line, end);
      }

      @Override
      public void onProgress(Progress progress) {
        observer.onProgress(progress);
        sample(progress);
      }

      @Override
      public void onAttemptEnded(AttemptEnded ended) {
        observer.onAttemptEnded(ended);
      }
    };
  }

  private void seen(Event event) {
    if (event instanceof Event.OffersReceived offers) {
      synchronized (this) {
        long now = clock.millis();
        for (Offer o : offers.offers()) offeredByAgent.put(o.agentId(), new double[] {o.resources().cpus(), now});
      }
    } else if (event instanceof Event.StatusUpdate update && update.status().state() == TaskState.FINISHED) {
      synchronized (this) {
        tails.remove(update.status().taskId());
      }
    }
  }

  private synchronized void launched(Action.Launch launch) {
    double[] held = offeredByAgent.get(launch.agentId());
    if (held == null) return;
    for (TaskSpec t : launch.tasks()) held[0] -= t.placement().resources().cpus();
    held[0] = Math.max(0, held[0]);
  }

  private synchronized void keep(String taskId, String line) {
    ArrayDeque<String> tail = tails.computeIfAbsent(taskId, k -> new ArrayDeque<>(TAIL_LINES));
    if (tail.size() == TAIL_LINES) tail.removeFirst();
    tail.addLast(line.length() > TAIL_LINE_CHARS ? line.substring(0, TAIL_LINE_CHARS) + "..." : line);
  }

  /** Called on the loop thread. */
  private void sample(Progress p) {
    long now = clock.millis();
    if (lastSampleMs != Long.MIN_VALUE && now - lastSampleMs < SAMPLE_EVERY_MS) return;
    double offered = 0;
    synchronized (this) {
      // Declined cpus come back in a new offer once the short refusal ends: older ones are stale.
      offeredByAgent.values().removeIf(held -> now - (long) held[1] > OFFER_FRESH_MS);
      for (double[] held : offeredByAgent.values()) offered += held[0];
    }
    String reason = p.waitReason() == null || p.waitReason().isEmpty() ? null : p.waitReason();
    double inUse = p.active() * cpusPerTask;
    boolean changed = last == null || last.running() != p.active() || last.waiting() != p.waiting()
        || last.cpusOffered() != offered || !Objects.equals(last.waitReason(), reason);
    if (!changed && now - lastSampleMs < HEARTBEAT_MS) return;
    Instant at = Instant.ofEpochMilli(now);
    last = new RunReport.Sample(at.toString(), round(inUse), round(offered), p.active(), p.waiting(), reason);
    samples.add(last);
    lastSampleMs = now;
    writer.utilisation(at, inUse, offered, p.active(), p.waiting(), reason);
  }

  private static double round(double cpus) {
    return Math.round(cpus * 1000) / 1000.0;
  }

  /** The samples taken so far, oldest first. */
  public List<RunReport.Sample> samples() {
    return List.copyOf(samples);
  }

  /**
   * After the run (the cluster closed, its output read): records the stderr tails of the attempts
   * that did not finish, from the output seen or, when none was read (with --quiet), from the
   * task's sandbox file, and returns them by task id. On the thread that ran the loop.
   */
  public Map<String, List<String>> recordTails(List<InstanceRecord> instances, java.util.function.Function<String, String> sandboxOf) {
    Map<String, List<String>> out = new HashMap<>();
    List<AttemptRecord> wanted = new ArrayList<>();
    // The last attempt of each failed instance first: those are what the report explains.
    for (InstanceRecord i : instances) {
      if (i.state() == InstanceState.FAILED && i.lastAttempt() != null) wanted.add(i.lastAttempt());
    }
    for (InstanceRecord i : instances) {
      for (AttemptRecord a : i.attempts()) {
        if (a.state() != TaskState.FINISHED && !(i.state() == InstanceState.FAILED && a == i.lastAttempt())) wanted.add(a);
      }
    }
    for (AttemptRecord a : wanted) {
      if (out.size() == MAX_TAILS) break;
      List<String> lines;
      synchronized (this) {
        ArrayDeque<String> t = tails.get(a.taskId());
        lines = t == null ? null : List.copyOf(t);
      }
      if (lines == null) lines = fromSandbox(sandboxOf.apply(a.taskId()));
      if (lines.isEmpty()) continue;
      out.put(a.taskId(), lines);
      writer.stderrTail(a.taskId(), lines);
    }
    return out;
  }

  /** The last lines of {@code <sandbox>/stderr}, or none. */
  static List<String> fromSandbox(String sandbox) {
    if (sandbox == null) return List.of();
    Path file = Path.of(sandbox, "stderr");
    if (!Files.isRegularFile(file)) return List.of();
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 8192);
      byte[] bytes = new byte[n];
      f.seek(len - n);
      f.readFully(bytes);
      List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
      if (n < len && !lines.isEmpty()) lines.remove(0); // a partial first line
      lines.removeIf(String::isEmpty);
      List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
      List<String> cut = new ArrayList<>(tail.size());
      for (String l : tail) cut.add(l.length() > TAIL_LINE_CHARS ? l.substring(0, TAIL_LINE_CHARS) + "..." : l);
      return cut;
    } catch (IOException e) {
      return List.of();
    }
  }
}
