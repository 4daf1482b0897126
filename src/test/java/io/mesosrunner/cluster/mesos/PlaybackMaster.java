package io.mesosrunner.cluster.mesos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * A minimal master on 127.0.0.1 for this package's tests: a real HTTP server that answers
 * SUBSCRIBE with a chunked stream of the events the test gives it and every other call with 202,
 * and records what it received. Not a protocol checker: that is the test master's job.
 */
final class PlaybackMaster implements AutoCloseable {

  /** One request as received. */
  record Received(String path, Map<String, List<String>> headers, Call call) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** What to do with one SUBSCRIBE: status (200 streams), headers, the records to send. */
  record SubscribeAnswer(int status, Map<String, String> headers, List<byte[]> records, boolean keepOpen, String body) {
    static SubscribeAnswer stream(String streamId, List<byte[]> records) {
      return new SubscribeAnswer(200, Map.of("Mesos-Stream-Id", streamId, "Content-Type", "application/x-protobuf"),
          records, true, null);
    }

    static SubscribeAnswer streamThenEnd(String streamId, List<byte[]> records) {
      return new SubscribeAnswer(200, Map.of("Mesos-Stream-Id", streamId, "Content-Type", "application/x-protobuf"),
          records, false, null);
    }

    static SubscribeAnswer error(int status, String body) {
      return new SubscribeAnswer(status, Map.of("Content-Type", "text/plain; charset=utf-8"), List.of(), false, body);
    }

    static SubscribeAnswer redirect(String location) {
      return new SubscribeAnswer(307, Map.of("Location", location), List.of(), false, null);
    }
  }

  final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  final Map<String, Function<String, String>> files = new ConcurrentHashMap<>();
  /** Status and body for calls of a type, instead of 202. */
  final Map<Call.Type, Map.Entry<Integer, String>> callAnswers = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final BlockingQueue<SubscribeAnswer> subscribeAnswers = new LinkedBlockingQueue<>();
  private final BlockingQueue<byte[]> pushed = new LinkedBlockingQueue<>();

  PlaybackMaster(String schedulerPath) throws IOException {
    this(schedulerPath, null);
  }

  /** With {@code tls} set, the master speaks HTTPS with that context. */
  PlaybackMaster(String schedulerPath, javax.net.ssl.SSLContext tls) throws IOException {
    InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(any, 0);
    } else {
      com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(any, 0);
      https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
      server = https;
    }
    server.createContext(schedulerPath, this::scheduler);
    server.createContext("/files/read", this::filesRead);
    server.setExecutor(executor);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String hostPort() {
    return "127.0.0.1:" + port();
  }

  void answerNextSubscribe(SubscribeAnswer answer) {
    subscribeAnswers.add(answer);
  }

  /** Sends one more event on the open stream. */
  void push(byte[] record) {
    pushed.add(record);
  }

  Received next(Call.Type type) throws InterruptedException {
    while (true) {
      Received r = received.poll(20, TimeUnit.SECONDS);
      if (r == null) {
        throw new AssertionError("no " + type + " call arrived in 20 s");
      }
      if (r.call().getType() == type) {
        return r;
      }
    }
  }

  private void scheduler(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    Call call = Call.parseFrom(body);
    received.add(new Received(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), call));
    if (call.getType() != Call.Type.SUBSCRIBE) {
      Map.Entry<Integer, String> scripted = callAnswers.get(call.getType());
      if (scripted != null) {
        byte[] text = scripted.getValue().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(scripted.getKey(), text.length == 0 ? -1 : text.length);
        if (text.length > 0) ex.getResponseBody().write(text);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(202, -1);
      ex.close();
      return;
    }
    SubscribeAnswer answer = subscribeAnswers.poll();
    if (answer == null) {
      answer = SubscribeAnswer.error(503, "No answer scripted");
    }
    answer.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    if (answer.status() != 200) {
      byte[] text = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(answer.status(), text.length == 0 ? -1 : text.length);
      if (text.length > 0) ex.getResponseBody().write(text);
      ex.close();
      return;
    }
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    try {
      for (byte[] r : answer.records()) {
        write(out, r);
      }
      if (answer.keepOpen()) {
        while (closing.getCount() > 0) {
          byte[] r = pushed.poll(50, TimeUnit.MILLISECONDS);
          if (r != null) {
            write(out, r);
          }
        }
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    } finally {
      try {
        ex.close();
      } catch (RuntimeException ignored) {
        // already broken
      }
    }
  }

  private static void write(OutputStream out, byte[] record) throws IOException {
    out.write((record.length + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(record);
    out.flush();
  }

  private void filesRead(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    Map<String, String> params = new java.util.HashMap<>();
    for (String kv : query.split("&")) {
      int eq = kv.indexOf('=');
      params.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    String path = params.get("path");
    Function<String, String> content = files.get(path);
    if (content == null) {
      ex.sendResponseHeaders(404, -1);
      ex.close();
      return;
    }
    byte[] all = content.apply(path).getBytes(StandardCharsets.UTF_8);
    int offset = Integer.parseInt(params.getOrDefault("offset", "-1"));
    int length = Integer.parseInt(params.getOrDefault("length", "0"));
    String data = "";
    if (offset >= 0 && offset < all.length) {
      data = new String(all, offset, Math.min(length, all.length - offset), StandardCharsets.UTF_8);
    }
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
        Map.of("data", data, "offset", offset < 0 ? all.length : offset));
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
