package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.cluster.TaskSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the stdout and stderr of launched tasks through their agents' {@code /files/read}
 * endpoint and hands each complete line to the listener (the local cluster's counterpart reads
 * the sandbox files directly: {@code cluster.local.SandboxFileTailer}). The bytes of a line are
 * passed on as the task wrote them: the agent puts them into the JSON answer's {@code data}
 * unchanged (only control characters escaped), so the answer is decoded here byte by byte, not
 * as UTF-8 text (see {@link #dataBytes}). The command executor's own glog lines
 * are dropped from stderr. A task is read once more after its terminal update and forgotten
 * {@code linger} later.
 *
 * <p>Threading: {@link #track}, {@link #terminal} and {@link #close} may be called from any
 * thread; polling runs on the given scheduled executor, one task at a time; the final
 * {@link #drain} reads on a few threads of its own, and lines reach the listener one at a time.
 */
final class AgentFileTailer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AgentFileTailer.class);
  private static final int PAGE = 64 * 1024;
  private static final int MAX_PAGES_PER_POLL = 16;
  private static final int MAX_PARTIAL_LINE = 64 * 1024;
  /** How many tasks a final drain reads at once (each read is two or more {@code /files/read} requests). */
  static final int DRAIN_READERS = 8;

  /** The prefix glog puts on every line: {@code I1125 15:06:40.403369 30065 exec.cpp:164] }. */
  static final Pattern GLOG_LINE = Pattern.compile("^[IWEF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ +\\d+ \\S+:\\d+\\] ");

  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final ClusterListener listener;
  private final Clock clock;
  private final Duration interval;
  private final Duration linger;
  private final String authorization;
  private final Map<String, Tail> tails = new ConcurrentHashMap<>();
  private final Object lock = new Object();
  /** Held while reading, so a final drain never reads the same bytes as a poll in flight. */
  private final ReentrantLock pollLock = new ReentrantLock();
  /** Held while feeding read bytes to the line splitters, so output reaches the listener one line at a time. */
  private final Object emitLock = new Object();
  /** Set under {@link #emitLock} when a drain has flushed: a read still answering then is dropped. */
  private boolean abandoned;
  private ScheduledFuture<?> poller;
  private volatile boolean closed;
  /** Set by {@link #drain}: a poll round in flight stops at the next task and leaves the rest to it. */
  private volatile boolean draining;

  AgentFileTailer(HttpClient http, ScheduledExecutorService timer, ClusterListener listener, Clock clock,
      Duration interval, Duration linger, String authorization) {
    this.http = http;
    this.timer = timer;
    this.listener = listener;
    this.clock = clock;
    this.interval = interval;
    this.linger = linger;
    this.authorization = authorization;
  }

  /** Starts tailing a task's sandbox on the agent at {@code agentBase}. */
  void track(TaskSpec task, URI agentBase, String frameworkId) {
    if (closed) {
      return;
    }
    tails.put(task.taskId(), new Tail(task, agentBase, frameworkId));
    synchronized (lock) {
      if (poller == null && !closed) {
        long ms = interval.toMillis();
        poller = timer.scheduleWithFixedDelay(this::pollAll, ms, ms, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The task ended: read it once more, then stop after the linger time. */
  void terminal(String taskId) {
    Tail tail = tails.get(taskId);
    if (tail != null && tail.terminalAt < 0) {
      tail.terminalAt = clock.millis();
    }
  }

  /** Stops tailing a task at once (it never launched). */
  void forget(String taskId) {
    tails.remove(taskId);
  }

  boolean isTracking(String taskId) {
    return tails.containsKey(taskId);
  }

  /** Whether the task's output was read to the end after its terminal update (a close reads it no more). */
  boolean isReadToEnd(String taskId) {
    Tail tail = tails.get(taskId);
    return tail != null && tail.complete;
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
    draining = true;
    synchronized (lock) {
      if (poller != null) {
        poller.cancel(false);
      }
    }
    long end = System.nanoTime() + budget.toNanos();
    boolean locked = false;
    try {
      locked = pollLock.tryLock(budget.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      List<Tail> unread = tails.values().stream().filter(t -> !t.complete).toList();
      if (locked && !unread.isEmpty() && !closed) {
        readConcurrently(unread, end);
      }
      synchronized (emitLock) {
        abandoned = true;
        for (Tail tail : tails.values()) {
          tail.stdout.flush(tail.task);
          tail.stderr.flush(tail.task);
        }
      }
      tails.clear();
    } finally {
      if (locked) {
        pollLock.unlock();
      }
    }
  }

  private void readConcurrently(List<Tail> unread, long endNanos) {
    int readers = Math.min(DRAIN_READERS, unread.size());
    ExecutorService pool = Executors.newFixedThreadPool(readers, r -> {
      Thread t = new Thread(r, "mesos-output-drain");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> reads = new ArrayList<>(unread.size());
      for (Tail tail : unread) {
        reads.add(pool.submit(() -> {
          try {
            poll(tail, tail.stdout);
            poll(tail, tail.stderr);
          } catch (RuntimeException e) {
            log.warn("reading output of {} failed: {}", tail.task.taskId(), e.toString());
          }
        }));
      }
      for (Future<?> read : reads) {
        long left = endNanos - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          read.get(left, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          break;
        } catch (ExecutionException e) {
          log.debug("reading output failed: {}", e.getCause().toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      long unanswered = reads.stream().filter(f -> !f.isDone()).count();
      if (unanswered > 0) {
        log.warn("output of {} task(s) not read to the end within the close time; giving up on it", unanswered);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void pollAll() {
    if (!pollLock.tryLock()) {
      return; // a drain has taken over
    }
    try {
      pollAllLocked();
    } finally {
      pollLock.unlock();
    }
  }

  private void pollAllLocked() {
    for (Tail tail : tails.values()) {
      if (closed || draining) {
        return;
      }
      try {
        boolean ended = tail.terminalAt >= 0;
        boolean last = ended && clock.millis() >= tail.terminalAt + linger.toMillis();
        boolean outToEnd = poll(tail, tail.stdout);
        boolean errToEnd = poll(tail, tail.stderr);
        if (ended && outToEnd && errToEnd) {
          tail.complete = true;
        }
        if (last) {
          tail.stdout.flush(tail.task);
          tail.stderr.flush(tail.task);
          tails.remove(tail.task.taskId());
        }
      } catch (RuntimeException e) {
        log.warn("reading output of {} failed: {}", tail.task.taskId(), e.toString());
      }
    }
  }

  /**
   * Reads a stream from where the last read stopped; true when it was read to the end of the
   * file as the agent has it (an answer shorter than a page).
   */
  private boolean poll(Tail tail, StreamState stream) {
    for (int page = 0; page < MAX_PAGES_PER_POLL && !closed; page++) {
      URI uri = readUri(tail.agentBase, tail.frameworkId, tail.task.taskId(), stream.fileName, stream.offset, PAGE);
      HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
      if (authorization != null) {
        req.header("Authorization", authorization);
      }
      HttpResponse<byte[]> resp;
      try {
        resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        log.debug("reading {} of {} failed: {}", stream.fileName, tail.task.taskId(), e.toString());
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (resp.statusCode() == 404) {
        return false;
      }
      if (resp.statusCode() != 200) {
        log.debug("reading {} of {}: agent answered {}", stream.fileName, tail.task.taskId(), resp.statusCode());
        return false;
      }
      byte[] bytes;
      try {
        bytes = dataBytes(resp.body());
      } catch (IllegalArgumentException e) {
        log.debug("reading {} of {}: bad JSON: {}", stream.fileName, tail.task.taskId(), e.getMessage());
        return false;
      }
      synchronized (emitLock) {
        if (abandoned) {
          return false;
        }
        stream.offset += bytes.length;
        stream.feed(bytes, tail.task);
      }
      if (bytes.length < PAGE) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code /files/read} request for a task's sandbox file, by the virtual path of the latest
   * run of its executor (the command executor's id is the task id), which needs no agent lookup.
   */
  static URI readUri(URI agentBase, String frameworkId, String taskId, String fileName, long offset, int length) {
    String path = "/frameworks/" + frameworkId + "/executors/" + taskId + "/runs/latest/" + fileName;
    return URI.create(agentBase + "/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
        + "&offset=" + offset + "&length=" + length);
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      if (poller != null) {
        poller.cancel(false);
      }
    }
    tails.clear();
  }

  private final class Tail {
    final TaskSpec task;
    final URI agentBase;
    final String frameworkId;
    final StreamState stdout = new StreamState("stdout", OutputStreamKind.STDOUT);
    final StreamState stderr = new StreamState("stderr", OutputStreamKind.STDERR);
    volatile long terminalAt = -1;
    /** Both files were read to the end by a poll that began after the terminal update. */
    volatile boolean complete;

    Tail(TaskSpec task, URI agentBase, String frameworkId) {
      this.task = task;
      this.agentBase = agentBase;
      this.frameworkId = frameworkId;
    }
  }

  private final class StreamState {
    final String fileName;
    final OutputStreamKind kind;
    final LineSplitter lines;
    TaskSpec task;
    long offset;

    StreamState(String fileName, OutputStreamKind kind) {
      this.fileName = fileName;
      this.kind = kind;
      this.lines = new LineSplitter(MAX_PARTIAL_LINE, this::emit);
    }

    void feed(byte[] data, TaskSpec task) {
      this.task = task;
      lines.feed(data, 0, data.length);
    }

    void flush(TaskSpec task) {
      this.task = task;
      lines.flush();
    }

    private void emit(byte[] line) {
      if (kind == OutputStreamKind.STDERR && isGlogLine(line)) {
        return;
      }
      listener.onOutput(task, kind, line);
    }
  }

  /** Whether a line of stderr is one of the command executor's own glog lines. */
  static boolean isGlogLine(byte[] line) {
    // The prefix is ASCII: decoding only its first bytes as Latin-1 keeps offsets and costs little.
    int n = Math.min(line.length, 64);
    return GLOG_LINE.matcher(new String(line, 0, n, StandardCharsets.ISO_8859_1)).find();
  }

  /**
   * The bytes of the {@code data} member of a {@code /files/read} answer. Mesos writes the file's
   * bytes into the JSON string as they are, escaping only {@code "}, {@code \}, {@code /} and
   * control characters, so the bytes need not be UTF-8; a {@code \}{@code uXXXX} escape above 0x7F
   * (which other writers use) becomes that character's UTF-8 bytes.
   *
   * @throws IllegalArgumentException when the answer is not a JSON object with a string {@code data}
   */
  static byte[] dataBytes(byte[] body) {
    JsonBytes in = new JsonBytes(body);
    in.skipSpace();
    in.expect('{');
    in.skipSpace();
    if (in.peek() == '}') {
      throw new IllegalArgumentException("no data member");
    }
    while (true) {
      in.skipSpace();
      String key = new String(in.string(), StandardCharsets.UTF_8);
      in.skipSpace();
      in.expect(':');
      in.skipSpace();
      if (key.equals("data")) {
        if (in.peek() != '"') {
          throw new IllegalArgumentException("data is not a string");
        }
        return in.string();
      }
      in.skipValue();
      in.skipSpace();
      if (in.peek() == ',') {
        in.pos++;
        continue;
      }
      throw new IllegalArgumentException("no data member");
    }
  }

  /** A cursor over JSON text as bytes, for {@link #dataBytes}. */
  private static final class JsonBytes {
    final byte[] b;
    int pos;

    JsonBytes(byte[] b) {
      this.b = b;
    }

    int peek() {
      if (pos >= b.length) {
        throw new IllegalArgumentException("unexpected end at " + pos);
      }
      return b[pos] & 0xff;
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + pos);
      }
      pos++;
    }

    void skipSpace() {
      while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
        pos++;
      }
    }

    /** Skips a number, literal or string (the other members of the answer are numbers). */
    void skipValue() {
      if (peek() == '"') {
        string();
        return;
      }
      int start = pos;
      while (pos < b.length && b[pos] != ',' && b[pos] != '}' && b[pos] != ' ') {
        pos++;
      }
      if (pos == start) {
        throw new IllegalArgumentException("expected a value at " + pos);
      }
    }

    /** The bytes of the JSON string at the cursor, escapes resolved. */
    byte[] string() {
      expect('"');
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
      int runStart = pos;
      while (true) {
        int c = peek();
        if (c == '"') {
          out.write(b, runStart, pos - runStart);
          pos++;
          return out.toByteArray();
        }
        if (c != '\\') {
          pos++;
          continue;
        }
        out.write(b, runStart, pos - runStart);
        pos++;
        int e = peek();
        pos++;
        switch (e) {
          case '"', '\\', '/' -> out.write(e);
          case 'b' -> out.write('\b');
          case 'f' -> out.write('\f');
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case 'u' -> {
            int cp = hex4();
            if (cp < 0x80) {
              out.write(cp);
            } else {
              if (Character.isHighSurrogate((char) cp) && pos + 1 < b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
                pos += 2;
                cp = Character.toCodePoint((char) cp, (char) hex4());
              }
              out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
          }
          default -> throw new IllegalArgumentException("bad escape at " + (pos - 1));
        }
        runStart = pos;
      }
    }

    private int hex4() {
      if (pos + 4 > b.length) {
        throw new IllegalArgumentException("unexpected end at " + pos);
      }
      int v = Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16);
      pos += 4;
      return v;
    }
  }
}
