package io.mesosrunner.cluster.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the files of a task's sandbox from its agent's {@code /files/read}, for {@code runner
 * logs}: the agent is found by its id in the master's {@code GET /master/slaves} (its {@code pid},
 * {@code slave(1)@host:port}), the file by the virtual path of the executor's latest run, and the
 * answer decoded as {@link FilesRead} decodes it for the {@link AgentFileTailer} (the file's bytes, unchanged). Never
 * subscribes, so reading a run's output never disturbs the runner that is running it.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class AgentSandboxFiles implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PAGE = 64 * 1024;

  private final MesosConfig config;
  private final HttpClient http;
  private final String authorization;
  private Map<String, URI> agents;

  public AgentSandboxFiles(MesosConfig config) {
    this.config = config;
    this.http = MasterTasks.client(config);
    this.authorization = SchedulerHttpClient.authorization(config);
  }

  /** Stops the HTTP client (its selector thread would hold the JVM's exit back 300 ms); no read after this. */
  @Override
  public void close() {
    HttpClientShutdown.stop(http);
  }

  /**
   * Up to 64 KiB of the file {@code fileName} ({@code stdout}, {@code stderr}) of task {@code taskId}
   * from byte {@code offset} on: empty at the end of the file, null when it is gone for good (the
   * agent answers 404: it has garbage-collected the sandbox; or the master no longer knows the agent).
   *
   * @throws IOException when the master or the agent cannot be asked
   */
  public byte[] read(String agentId, String frameworkId, String taskId, String fileName, long offset)
      throws IOException, InterruptedException {
    URI agent = agentBase(agentId);
    if (agent == null) return null;
    URI uri = FilesRead.readUri(agent, frameworkId, taskId, fileName, offset, PAGE);
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
    if (authorization != null) req.header("Authorization", authorization);
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      // A stopped agent refuses the connection; the master then lists it inactive or not at all.
      agents = null;
      if (agentBase(agentId) == null) return null;
      throw e;
    }
    if (resp.statusCode() == 404) return null;
    if (resp.statusCode() != 200) {
      String text = MesosHttpException.oneLine(new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8));
      throw new IOException("agent " + agent + " answered " + resp.statusCode() + " to " + uri.getPath()
          + (text.isEmpty() ? "" : ": " + text));
    }
    try {
      return FilesRead.dataBytes(resp.body());
    } catch (IllegalArgumentException e) {
      throw new IOException("agent " + agent + " answered something other than a file read: " + e.getMessage(), e);
    }
  }

  /**
   * Whether a line of a task's stderr is one of the command executor's own glog lines (which the
   * runner leaves out of the task's output).
   */
  public static boolean isExecutorLine(byte[] line) {
    return TaskOutput.isGlogLine(line);
  }

  /** Whether the master's latest list of agents did not name this agent (it stopped or was removed). */
  public boolean unknownAgent(String agentId) {
    return agents != null && !agents.containsKey(agentId);
  }

  /** The agent's HTTP base URI, from the master's list of agents (asked once), or null when unknown. */
  URI agentBase(String agentId) throws IOException, InterruptedException {
    if (agents == null) {
      Map<String, URI> found = new HashMap<>();
      String scheme = config.caCert() != null ? "https" : "http";
      for (JsonNode agent : JSON.readTree(MasterTasks.get(config, "/master/slaves")).path("slaves")) {
        String pid = agent.path("pid").asText("");
        int at = pid.indexOf('@');
        if (at < 0) continue;
        found.put(agent.path("id").asText(), URI.create(scheme + "://" + pid.substring(at + 1)));
      }
      agents = found;
    }
    return agents.get(agentId);
  }
}
