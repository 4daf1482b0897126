package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.TaskSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the stdout and stderr of launched tasks through their agents' {@code /files/read}
 * endpoint ({@link FilesRead}) and hands each complete line to the listener (the local cluster's
 * counterpart reads the sandbox files directly: {@code cluster.local.SandboxFileTailer}). Every
 * {@code interval} a poll round reads the tracked tasks one at a time; a task is read once more
 * after its terminal update and forgotten {@code linger} later. At the end of the run {@link
 * #drain} reads what every task not yet read to the end wrote, {@link #DRAIN_READERS} tasks at a
 * time, taking over from a poll round in flight once it has finished its task.
 *
 * <p>Threads. One thread, {@code mesos-output}, owns every tracked task's {@link TaskOutput} and
 * the round and drain in progress; it alone passes lines to the listener, so they reach it one at
 * a time. It never blocks on a read: requests go out asynchronously, and the HTTP client's thread
 * puts each answer in the inbox. Others put a {@link TailerMessage} in the inbox and return: the
 * scheduler's thread a task to track or forget, the subscription thread a task's end, the closing
 * thread the drain (and waits for it) and the close. The owner waits on nothing but the inbox, so
 * the next round and the drain's budget are timeouts of that wait, counted on the injected clock.
 * Other threads read only the {@link View}, which the owner replaces whole.
 */
final class AgentFileTailer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentFileTailer.class);
  /** How many tasks a final drain reads at once (each read is two or more {@code /files/read} requests). */
  static final int DRAIN_READERS = 8;
  /** How much longer than its budget the closing thread waits for a drain, should the owner be stuck. */
  private static final long DRAIN_GRACE_MS = 1000;
  private static final long NEVER = Long.MAX_VALUE;

  /** What other threads may know of the tailer, published whole by its thread. */
  record View(Set<String> tracking, Set<String> readToEnd, long rounds, boolean ended) {
    View {
      tracking = Set.copyOf(tracking);
      readToEnd = Set.copyOf(readToEnd);
    }
  }

  private final FilesRead files;
  private final ClusterListener listener;
  private final Clock clock;
  private final Duration interval;
  private final Duration linger;
  private final BlockingQueue<TailerMessage> inbox = new LinkedBlockingQueue<>();
  /** Completed when the owner thread ends, whatever the reason. */
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final Thread thread;
  private volatile View view = new View(Set.of(), Set.of(), 0, false);

  // The owner thread's own.
  private final Map<String, TaskOutput> tasks = new LinkedHashMap<>();
  /** The poll round in progress; null between rounds. */
  private PollRound round;
  private long nextRoundAt = NEVER;
  /** Poll rounds finished. */
  private long rounds;
  private FinalDrain drain;
  private boolean ended;
  private boolean changed;

  private AgentFileTailer(FilesRead files, ClusterListener listener, Clock clock, Duration interval, Duration linger) {
    this.files = files;
    this.listener = listener;
    this.clock = clock;
    this.interval = interval;
    this.linger = linger;
    this.thread = new Thread(this::run, "mesos-output");
    thread.setDaemon(true);
  }

  /**
   * Starts the tailer's thread. {@code http} is shared with the adapter's calls (same TLS and
   * connections); {@code authorization} is the HTTP Basic header value, or null.
   */
  static AgentFileTailer start(HttpClient http, ClusterListener listener, Clock clock, Duration interval,
      Duration linger, String authorization) {
    AgentFileTailer tailer = new AgentFileTailer(new FilesRead(http, authorization), listener, clock, interval, linger);
    tailer.thread.start();
    return tailer;
  }

  // ------------------------------------------------------------ messages, from any thread

  /** Starts tailing a task's sandbox on the agent at {@code agentBase}. */
  void track(TaskSpec task, URI agentBase, String frameworkId) {
    post(new TailerMessage.Track(task, agentBase, frameworkId));
  }

  /** The task ended: read it once more, then stop after the linger time. */
  void terminal(String taskId) {
    post(new TailerMessage.Terminal(taskId));
  }

  /** Stops tailing a task at once (it never launched). */
  void forget(String taskId) {
    post(new TailerMessage.Forget(taskId));
  }

  /** Puts a message in the inbox, unless the owner has ended (then nothing would take it). */
  private void post(TailerMessage m) {
    if (!stopped.isDone()) {
      inbox.add(m);
    }
  }

  View view() {
    return view;
  }

  /** Whether the task's output was read to the end after its terminal update (a drain reads it no more). */
  boolean isReadToEnd(String taskId) {
    return view.readToEnd().contains(taskId);
  }

  /**
   * Reads what every tracked task wrote since the last poll, flushes unfinished last lines, and
   * stops: the run is over, and its last lines must reach the user before the summary. A task
   * whose output was read to the end after its terminal update is not read again (a command
   * task's files are complete once it has ended); the others are read at most
   * {@link #DRAIN_READERS} at a time. Returns within about {@code budget}: what is not read by
   * then is given up.
   */
  void drain(Duration budget) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    inbox.add(new TailerMessage.Drain(budget, done));
    try {
      CompletableFuture.anyOf(done, stopped).get(budget.toMillis() + DRAIN_GRACE_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      log.warn("the output tailer did not finish its drain within {} ms", budget.toMillis());
    } catch (ExecutionException e) {
      throw new IllegalStateException("neither future fails", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops at once, without reading or flushing; waits a little for the thread to end. */
  @Override
  public void close() {
    inbox.add(new TailerMessage.Close());
    try {
      thread.join(DRAIN_GRACE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------ the tailer's thread

  private void run() {
    try {
      while (!ended) {
        TailerMessage m = next();
        if (m != null) {
          handle(m);
        }
        if (!ended) {
          onTime(clock.millis());
        }
        if (changed) {
          publish();
        }
      }
    } catch (RuntimeException | Error e) {
      log.error("the Mesos output tailer stopped unexpectedly", e);
    } finally {
      stop();
    }
  }

  private void handle(TailerMessage m) {
    if (m instanceof TailerMessage.PageRead p) {
      answered(p);
    } else if (m instanceof TailerMessage.Track t) {
      if (drain == null) {
        tasks.put(t.task().taskId(), new TaskOutput(t.task(), t.agentBase(), t.frameworkId(), listener));
        changed = true;
        if (nextRoundAt == NEVER) {
          nextRoundAt = clock.millis() + interval.toMillis();
        }
      }
    } else if (m instanceof TailerMessage.Terminal t) {
      TaskOutput out = tasks.get(t.taskId());
      if (out != null && out.terminalAt < 0) {
        out.terminalAt = clock.millis();
      }
    } else if (m instanceof TailerMessage.Forget f) {
      changed |= tasks.remove(f.taskId()) != null;
    } else if (m instanceof TailerMessage.Drain d) {
      startDrain(d);
    } else if (m instanceof TailerMessage.Close) {
      ended = true;
    } else {
      throw new IllegalStateException("unknown message " + m);
    }
  }

  /** What is due at {@code now}: the next poll round, or the end of the drain's budget. */
  private void onTime(long now) {
    if (drain != null) {
      if (now >= drain.deadline()) {
        drain.giveUp();
        finishDrain();
      }
    } else if (round == null && now >= nextRoundAt) {
      round = new PollRound(tasks.keySet());
      nextInRound();
    }
  }

  /** Starts reading the round's next task; ends the round when none is left or a drain waits. */
  private void nextInRound() {
    TaskOutput.Read read = drain == null ? round.next(tasks, clock.millis(), linger) : null;
    if (read != null) {
      ask(read);
      return;
    }
    round = null;
    rounds++;
    changed = true;
    // With nothing to read the thread sleeps until the next task is tracked.
    nextRoundAt = tasks.isEmpty() ? NEVER : clock.millis() + interval.toMillis();
    if (drain != null) {
      drain.begin(tasks.values());
      fillDrain();
    }
  }

  private void startDrain(TailerMessage.Drain d) {
    if (drain != null) {
      d.done().complete(null);
      return;
    }
    drain = new FinalDrain(clock.millis() + d.budget().toMillis(), d.done());
    if (round == null) {
      drain.begin(tasks.values());
      fillDrain();
    }
    // Otherwise the round stops once the task it is reading is read, and the drain begins then.
  }

  /** Starts drain reads up to {@link #DRAIN_READERS} at once; finishes the drain when all are done. */
  private void fillDrain() {
    TaskOutput next;
    while (drain.canStartAnother(DRAIN_READERS) && (next = drain.nextTask()) != null) {
      if (tasks.get(next.taskId()) == next) {
        TaskOutput.Read read = next.new Read(TaskOutput.Purpose.DRAIN, false, false);
        drain.started(read);
        ask(read);
      }
    }
    if (drain.isDone()) {
      finishDrain();
    }
  }

  /** Every unfinished last line is passed on, what is still in flight given up, and the tailer ends. */
  private void finishDrain() {
    forgetAll(true);
    drain.done().complete(null);
    ended = true;
  }

  /** Asks for the next page of a read; the answer comes back through the inbox. */
  private void ask(TaskOutput.Read read) {
    TaskOutput out = read.output();
    out.read = read;
    TaskOutput.SandboxFile file = read.file();
    try {
      read.inFlight = files.ask(out.agentBase, out.frameworkId, out.taskId(), file.name, file.offset);
      read.inFlight.whenComplete((response, failure) -> inbox.add(new TailerMessage.PageRead(read, response, failure)));
    } catch (RuntimeException e) {
      // The client refuses the request (it is shut down, the URI is bad): the read ends here.
      inbox.add(new TailerMessage.PageRead(read, null, e));
    }
  }

  private void answered(TailerMessage.PageRead p) {
    TaskOutput.Read read = p.read();
    TaskOutput out = read.output();
    if (read.abandoned) {
      return;
    }
    if (tasks.get(out.taskId()) != out) {
      readEnded(read, false); // forgotten meanwhile
      return;
    }
    FilesRead.Page page = FilesRead.page(p.response(), p.failure());
    if (!page.ok()) {
      log.debug("reading {} of {}: {}", read.file().name, out.taskId(), page.failure());
    }
    boolean more;
    try {
      more = read.apply(page);
    } catch (RuntimeException e) {
      log.warn("reading output of {} failed: {}", out.taskId(), e.toString());
      readEnded(read, false);
      return;
    }
    if (more) {
      ask(read);
    } else {
      readEnded(read, true);
    }
  }

  /** A read is over ({@code finished}: not cut short by an error); what started it goes on. */
  private void readEnded(TaskOutput.Read read, boolean finished) {
    TaskOutput out = read.output();
    out.read = null;
    if (read.purpose == TaskOutput.Purpose.DRAIN) {
      drain.ended(read);
      fillDrain();
      return;
    }
    if (finished && read.ended && read.toEnd() && !out.complete) {
      out.complete = true;
      changed = true;
    }
    if (finished && read.last) {
      out.flush();
      tasks.remove(out.taskId());
      changed = true;
    }
    if (round != null && round.isReading(read)) {
      nextInRound();
    }
  }

  /** The next message, waiting no longer than the next thing due. */
  private TailerMessage next() {
    long now = clock.millis();
    long due = drain != null ? drain.deadline() : round == null ? nextRoundAt : NEVER;
    try {
      if (due == NEVER) {
        return inbox.take();
      }
      return due <= now ? inbox.poll() : inbox.poll(due - now, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      // Nobody interrupts this thread but a JVM going down: treat it as a close.
      return new TailerMessage.Close();
    }
  }

  /**
   * The owner thread ends: nothing in flight is waited for, and the drain in progress is answered
   * (one asked for later is answered by {@code stopped}).
   */
  private void stop() {
    ended = true;
    forgetAll(false);
    if (drain != null) {
      drain.done().complete(null);
    }
    publish();
    stopped.complete(null);
  }

  /** Gives up every read in flight and forgets every task, passing on unfinished last lines first when {@code flush}. */
  private void forgetAll(boolean flush) {
    for (TaskOutput out : tasks.values()) {
      if (out.read != null) {
        out.read.abandon();
      }
      if (flush) {
        out.flush();
      }
    }
    tasks.clear();
    changed = true;
  }

  private void publish() {
    changed = false;
    List<String> readToEnd = tasks.values().stream().filter(t -> t.complete).map(TaskOutput::taskId).toList();
    view = new View(tasks.keySet(), Set.copyOf(readToEnd), rounds, ended);
  }
}
