package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.testing.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The close path of {@link AgentFileTailer}: what a final drain reads, how many at once, how long. */
class AgentFileTailerCloseTest {

  private static final String FID = "fw-1";

  /** A real HTTP server answering {@code /files/read} from in-memory files, counting requests. */
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long delayMs;
  private volatile String hangingTask;
  /** Every read waits for {@link #release} while set. */
  private volatile boolean hangEveryRead;
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final List<AgentFileTailer> tailers = new ArrayList<>();
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    serverThreads.shutdownNow();
    tailers.forEach(AgentFileTailer::close);
  }

  private URI startAgent() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(serverThreads);
    server.createContext("/files/read", this::answer);
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void answer(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      Map<String, String> q = new HashMap<>();
      for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
        String[] p = kv.split("=", 2);
        q.put(p[0], URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
      String path = q.get("path");
      reads.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
      String hang = hangingTask;
      if (hangEveryRead || hang != null && path.contains("/executors/" + hang + "/")) {
        release.await(60, TimeUnit.SECONDS);
      }
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      byte[] file = files.get(path);
      if (file == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      int offset = Integer.parseInt(q.get("offset"));
      int length = Integer.parseInt(q.get("length"));
      int from = Math.min(offset, file.length);
      int to = Math.min(file.length, from + length);
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      body.writeBytes("{\"data\":\"".getBytes(StandardCharsets.US_ASCII));
      for (int i = from; i < to; i++) {
        byte b = file[i];
        if (b == '\n') {
          body.writeBytes("\\n".getBytes(StandardCharsets.US_ASCII));
        } else if (b == '"' || b == '\\') {
          body.write('\\');
          body.write(b);
        } else {
          body.write(b);
        }
      }
      body.writeBytes(("\",\"offset\":" + from + "}").getBytes(StandardCharsets.US_ASCII));
      ex.sendResponseHeaders(200, body.size());
      ex.getResponseBody().write(body.toByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
      ex.close();
    }
  }

  private static String path(String taskId, String file) {
    return "/frameworks/" + FID + "/executors/" + taskId + "/runs/latest/" + file;
  }

  private void write(String taskId, String stdout) {
    files.put(path(taskId, "stdout"), stdout.getBytes(StandardCharsets.UTF_8));
    files.put(path(taskId, "stderr"), new byte[0]);
  }

  private int readsOf(String taskId) {
    return reads.getOrDefault(path(taskId, "stdout"), new AtomicInteger()).get()
        + reads.getOrDefault(path(taskId, "stderr"), new AtomicInteger()).get();
  }

  /** A linger far longer than the test: the poll loop never forgets a task by itself. */
  private AgentFileTailer tailer(Duration interval) {
    return tailer(Clock.systemUTC(), interval);
  }

  private AgentFileTailer tailer(Clock clock, Duration interval) {
    return tailer(clock, interval, Duration.ofHours(1));
  }

  private AgentFileTailer tailer(Clock clock, Duration interval, Duration linger) {
    ClusterListener listener = new ClusterListener() {
      @Override
      public void onEvent(Event event) {}

      @Override
      public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {
        lines.add(task.taskId() + ":" + new String(line, StandardCharsets.UTF_8));
      }
    };
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    AgentFileTailer tailer = AgentFileTailer.start(http, listener, clock, interval, linger, null);
    tailers.add(tailer);
    return tailer;
  }

  private static TaskSpec task(String id) {
    return new TaskSpec(id, MesosRun.job("name: close\ncommand: echo hi\ncpus: 0.1\nmem: 32\n"), 0, 1, null,
        Map.of(), Map.of());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    Await.until(what, Duration.ofSeconds(30), condition::getAsBoolean);
  }

  @Test
  void aTaskReadToTheEndAfterItsTerminalUpdateIsNotReadAgainAtCloseWhileTheOthersAre() throws Exception {
    URI agent = startAgent();
    // Poll rounds fall due only when the test moves the clock: one round for each step.
    FakeClock clock = new FakeClock();
    Duration interval = Duration.ofMillis(20);
    AgentFileTailer tailer = tailer(clock, interval);
    write("done", "d1\nd2\n");
    write("running", "r1\n");
    tailer.track(task("done"), agent, FID);
    tailer.track(task("running"), agent, FID);
    tailer.terminal("done");
    await(() -> tailer.view().tracking().size() == 2, "both tasks tracked");
    while (!tailer.isReadToEnd("done") || !lines.contains("running:r1")) {
      long rounds = tailer.view().rounds();
      clock.advance(interval);
      await(() -> tailer.view().rounds() > rounds, "a poll round");
      assertThat(rounds).as("poll rounds before the ended task is read to the end").isLessThan(5);
    }
    assertThat(tailer.isReadToEnd("running")).isFalse();
    // The round is over and no other falls due: every read counted from now on is the close's.
    write("running", "r1\nr2\nlast without newline");
    int doneReads = readsOf("done");
    int runningReads = readsOf("running");
    tailer.drain(Duration.ofSeconds(20));

    assertThat(readsOf("done")).as("reads of the ended task during close").isEqualTo(doneReads);
    assertThat(readsOf("running")).as("reads of the running task during close").isGreaterThan(runningReads);
    assertThat(lines).containsExactlyInAnyOrder("done:d1", "done:d2", "running:r1", "running:r2",
        "running:last without newline");
    assertThat(lines.stream().filter(l -> l.startsWith("running:")))
        .containsExactly("running:r1", "running:r2", "running:last without newline");
  }

  @Test
  void closeReadsTheUnfinishedTasksSeveralAtATimeAndLosesNoLine() throws Exception {
    URI agent = startAgent();
    delayMs = 150;
    // Never polls by itself: everything is read by the drain.
    AgentFileTailer tailer = tailer(Duration.ofHours(1));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String id = "t" + i;
      StringBuilder out = new StringBuilder();
      for (int n = 0; n < 3; n++) {
        out.append("line ").append(n).append(" of ").append(id).append('\n');
        expected.add(id + ":line " + n + " of " + id);
      }
      write(id, out.toString());
      tailer.track(task(id), agent, FID);
    }
    tailer.drain(Duration.ofSeconds(60));

    assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(maxInFlight.get()).as("reads in flight at once").isGreaterThan(1)
        .isLessThanOrEqualTo(AgentFileTailer.DRAIN_READERS);
  }

  @Test
  void closeGivesUpAtItsBudgetWhenAnAgentDoesNotAnswerAndStillDeliversTheRest() throws Exception {
    URI agent = startAgent();
    AgentFileTailer tailer = tailer(Duration.ofHours(1));
    hangingTask = "stuck";
    write("stuck", "never read\n");
    tailer.track(task("stuck"), agent, FID);
    IntStream.range(0, 4).forEach(i -> {
      write("ok" + i, "fine " + i + "\n");
      tailer.track(task("ok" + i), agent, FID);
    });

    long start = System.nanoTime();
    tailer.drain(Duration.ofMillis(1500));
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    // A request that is not answered times out only after 5 s: close must not wait for it.
    assertThat(tookMs).as("drain time, ms").isLessThan(4500);
    assertThat(lines).containsExactlyInAnyOrder("ok0:fine 0", "ok1:fine 1", "ok2:fine 2", "ok3:fine 3");
  }

  @Test
  void closeTakesOverFromAPollRoundInFlightInsteadOfWaitingForItToReadEveryTask() throws Exception {
    URI agent = startAgent();
    hangEveryRead = true;
    AgentFileTailer tailer = tailer(Duration.ofMillis(10));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      write("t" + i, "only line of t" + i + "\n");
      expected.add("t" + i + ":only line of t" + i);
      tailer.track(task("t" + i), agent, FID);
    }
    // The poll round is stuck in its first read, holding the tailer's read lock.
    await(() -> inFlight.get() == 1, "the poll round's first read");
    Thread closing = new Thread(() -> tailer.drain(Duration.ofSeconds(30)), "test-close");
    closing.start();
    await(() -> closing.getState() == Thread.State.TIMED_WAITING, "close waiting for the poll round");
    hangEveryRead = false;
    release.countDown();
    closing.join(TimeUnit.SECONDS.toMillis(30));

    assertThat(closing.isAlive()).isFalse();
    int total = reads.values().stream().mapToInt(AtomicInteger::get).sum();
    // The round finishes the task it was reading (stdout, stderr) and stops; close reads all six.
    // Waiting for the round instead would be 12 reads by the round and 12 by close.
    assertThat(total).as("reads by the poll round and close").isLessThanOrEqualTo(2 + 12);
    assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void pollsAndForgetsAnEndedTaskOnTheInjectedClockOnly() throws Exception {
    URI agent = startAgent();
    FakeClock clock = new FakeClock();
    AgentFileTailer tailer = tailer(clock, Duration.ofMillis(50), Duration.ofSeconds(3));
    write("t", "first\nunfinished");
    tailer.track(task("t"), agent, FID);
    tailer.terminal("t");
    await(() -> tailer.view().tracking().contains("t"), "the task tracked");
    // Six poll intervals of real time pass, the injected clock stands still: no round falls due.
    Thread.sleep(300);
    assertThat(readsOf("t")).as("reads before the clock moves").isZero();

    clock.advance(Duration.ofMillis(50));
    await(() -> tailer.view().rounds() == 1, "the first poll round");
    assertThat(lines).containsExactly("t:first");
    assertThat(tailer.view().tracking()).contains("t");

    // Past the linger time the next round is the task's last: its unfinished line is passed on.
    clock.advance(Duration.ofSeconds(3));
    await(() -> !tailer.view().tracking().contains("t"), "the task forgotten after its linger time");
    assertThat(lines).containsExactly("t:first", "t:unfinished");
  }
}
