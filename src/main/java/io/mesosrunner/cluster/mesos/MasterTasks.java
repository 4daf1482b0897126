package io.mesosrunner.cluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a framework's tasks from the master's operator endpoint {@code GET /master/tasks}. It
 * never subscribes, so asking about a run never disturbs the runner that is running it.
 */
public final class MasterTasks {

  /** One task as the master knows it; {@code state} is the Mesos name, e.g. {@code TASK_RUNNING}. */
  public record Task(String id, String state, String agentId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int LIMIT = 100_000;
  /** How long to wait for ZooKeeper to name the leading master. */
  private static final Duration LEADER_WAIT = Duration.ofSeconds(10);

  private MasterTasks() {}

  /** The tasks of {@code frameworkId} the leading master knows. */
  public static List<Task> of(MesosConfig config, String frameworkId) throws IOException, InterruptedException {
    String body = get(config, "/master/tasks?framework_id=" + URLEncoder.encode(frameworkId, StandardCharsets.UTF_8)
        + "&limit=" + LIMIT);
    List<Task> out = new ArrayList<>();
    for (JsonNode t : JSON.readTree(body).path("tasks")) {
      out.add(new Task(t.path("id").asText(), t.path("state").asText(), t.path("slave_id").asText(null)));
    }
    return out;
  }

  /** The body of a GET of an operator endpoint of the leading master, following its redirects. */
  static String get(MesosConfig config, String pathAndQuery) throws IOException, InterruptedException {
    URI base = leaderBase(config);
    HttpClient http = client(config);
    try {
      // Appended, not resolved: a master behind a proxy path (http://host/mesos) keeps its path.
      return get(http, config, base, URI.create(base + pathAndQuery));
    } finally {
      HttpClientShutdown.stop(http);
    }
  }

  private static String get(HttpClient http, MesosConfig config, URI base, URI first) throws IOException, InterruptedException {
    URI uri = first;
    for (int hop = 0; hop < 3; hop++) {
      HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
      String auth = SchedulerHttpClient.authorization(config);
      if (auth != null) req.header("Authorization", auth);
      HttpResponse<String> res;
      try {
        res = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        throw new IOException("cannot reach master at " + SchedulerHttpClient.base(uri) + basePath(base, uri) + ": "
            + SchedulerHttpClient.describe(e), e);
      }
      if (res.statusCode() == 307) {
        Optional<String> location = res.headers().firstValue("Location");
        if (location.isEmpty()) break;
        uri = SchedulerHttpClient.resolveLocation(uri, location.get());
        continue;
      }
      if (res.statusCode() != 200) {
        String text = MesosHttpException.oneLine(res.body());
        throw new IOException("GET " + uri.getPath() + " answered " + res.statusCode() + (text.isEmpty() ? "" : ": " + text));
      }
      return res.body();
    }
    throw new IOException("too many redirects asking " + base + " for " + uri.getPath());
  }

  /** The master's path prefix ({@code /mesos} behind a proxy) when {@code uri} is on the master named, else nothing. */
  private static String basePath(URI base, URI uri) {
    String path = base.getRawPath();
    return path != null && SchedulerHttpClient.sameAuthority(base, uri) ? path : "";
  }

  /** An HTTP/1.1 client for the master and its agents, trusting {@code --ca-cert} when given. */
  static HttpClient client(MesosConfig config) {
    HttpClient.Builder hb = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
    return SchedulerHttpClient.useTls(hb, config).build();
  }

  private static URI leaderBase(MesosConfig config) throws IOException, InterruptedException {
    if (config.master() instanceof MasterAddress.Http h) return h.baseUri();
    MasterAddress.ZooKeeper zk = (MasterAddress.ZooKeeper) config.master();
    // The detector names the leader on its own thread, null while none is registered.
    CompletableFuture<ZooKeeperLeaderDetector.Leader> found = new CompletableFuture<>();
    try (ZooKeeperLeaderDetector detector = new ZooKeeperLeaderDetector(zk, leader -> {
      if (leader != null) {
        found.complete(leader);
      }
    })) {
      detector.start();
      ZooKeeperLeaderDetector.Leader leader = found.get(LEADER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      String scheme = config.caCert() != null ? "https" : "http";
      return URI.create(scheme + "://" + leader.host() + ":" + leader.port());
    } catch (TimeoutException e) {
      // Falls through to the message below.
    } catch (ExecutionException e) {
      throw new IllegalStateException("the future is only ever completed with a value", e);
    }
    throw new IOException("no leading master registered in ZooKeeper at " + zk);
  }
}
