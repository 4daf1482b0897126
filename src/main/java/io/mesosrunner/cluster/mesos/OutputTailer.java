package io.mesosrunner.cluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the stdout and stderr of launched tasks through their agents' {@code /files/read}
 * endpoint and hands each complete line to the listener. The command executor's own glog lines
 * are dropped from stderr. A task is read once more after its terminal update and forgotten
 * {@code linger} later.
 *
 * <p>Threading: {@link #track}, {@link #terminal} and {@link #close} may be called from any
 * thread; polling runs on the given scheduled executor, one task at a time.
 */
final class OutputTailer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutputTailer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 64 * 1024;
  private static final int MAX_PAGES_PER_POLL = 16;
  private static final int MAX_PARTIAL_LINE = 64 * 1024;

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
  private final Object pollLock = new Object();
  private ScheduledFuture<?> poller;
  private volatile boolean closed;

  OutputTailer(HttpClient http, ScheduledExecutorService timer, ClusterListener listener, Clock clock,
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

  /**
   * Reads what every tracked task wrote since the last poll, flushes unfinished last lines, and
   * stops: the run is over, and its last lines must reach the user before the summary.
   */
  void drain(Duration budget) {
    synchronized (lock) {
      if (poller != null) {
        poller.cancel(false);
      }
    }
    long end = System.nanoTime() + budget.toNanos();
    synchronized (pollLock) {
      for (Tail tail : tails.values()) {
        if (closed || System.nanoTime() > end) {
          break;
        }
        try {
          poll(tail, tail.stdout);
          poll(tail, tail.stderr);
          tail.stdout.flush(tail.task);
          tail.stderr.flush(tail.task);
        } catch (RuntimeException e) {
          log.warn("reading output of {} failed: {}", tail.task.taskId(), e.toString());
        }
      }
      tails.clear();
    }
  }

  private void pollAll() {
    synchronized (pollLock) {
      pollAllLocked();
    }
  }

  private void pollAllLocked() {
    for (Tail tail : tails.values()) {
      if (closed) {
        return;
      }
      try {
        boolean last = tail.terminalAt >= 0 && clock.millis() >= tail.terminalAt + linger.toMillis();
        poll(tail, tail.stdout);
        poll(tail, tail.stderr);
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

  private void poll(Tail tail, StreamState stream) {
    for (int page = 0; page < MAX_PAGES_PER_POLL && !closed; page++) {
      String path = "/frameworks/" + tail.frameworkId + "/executors/" + tail.task.taskId() + "/runs/latest/"
          + stream.fileName;
      URI uri = URI.create(tail.agentBase + "/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
          + "&offset=" + stream.offset + "&length=" + PAGE);
      HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET();
      if (authorization != null) {
        req.header("Authorization", authorization);
      }
      HttpResponse<byte[]> resp;
      try {
        resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        log.debug("reading {} of {} failed: {}", stream.fileName, tail.task.taskId(), e.toString());
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (resp.statusCode() == 404) {
        return;
      }
      if (resp.statusCode() != 200) {
        log.debug("reading {} of {}: agent answered {}", stream.fileName, tail.task.taskId(), resp.statusCode());
        return;
      }
      String data;
      try {
        JsonNode node = JSON.readTree(resp.body());
        data = node.path("data").asText("");
      } catch (IOException e) {
        log.debug("reading {} of {}: bad JSON: {}", stream.fileName, tail.task.taskId(), e.toString());
        return;
      }
      byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
      stream.offset += bytes.length;
      stream.feed(data, tail.task);
      if (bytes.length < PAGE) {
        return;
      }
    }
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

    Tail(TaskSpec task, URI agentBase, String frameworkId) {
      this.task = task;
      this.agentBase = agentBase;
      this.frameworkId = frameworkId;
    }
  }

  private final class StreamState {
    final String fileName;
    final OutputStreamKind kind;
    final StringBuilder partial = new StringBuilder();
    long offset;

    StreamState(String fileName, OutputStreamKind kind) {
      this.fileName = fileName;
      this.kind = kind;
    }

    void feed(String data, TaskSpec task) {
      splitLines(partial, data, line -> emit(task, line));
      if (partial.length() > MAX_PARTIAL_LINE) {
        flush(task);
      }
    }

    void flush(TaskSpec task) {
      if (partial.length() > 0) {
        String line = partial.toString();
        partial.setLength(0);
        emit(task, line);
      }
    }

    private void emit(TaskSpec task, String line) {
      if (kind == OutputStreamKind.STDERR && GLOG_LINE.matcher(line).find()) {
        return;
      }
      listener.onOutput(task, kind, line);
    }
  }

  /**
   * Appends {@code data} to {@code partial} and hands out every completed line (without its
   * {@code \n} or {@code \r\n}); what follows the last newline stays in {@code partial}.
   */
  static void splitLines(StringBuilder partial, String data, Consumer<String> out) {
    int start = 0;
    for (int i = 0; i < data.length(); i++) {
      if (data.charAt(i) == '\n') {
        partial.append(data, start, i);
        int len = partial.length();
        if (len > 0 && partial.charAt(len - 1) == '\r') {
          partial.setLength(len - 1);
        }
        out.accept(partial.toString());
        partial.setLength(0);
        start = i + 1;
      }
    }
    partial.append(data, start, data.length());
  }
}
