package io.mesosrunner.job;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mesosrunner.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * The real yaml-language-server (npm package {@code yaml-language-server}), spoken to as an editor
 * does: JSON-RPC with Content-Length headers over its stdin and stdout. Found on PATH (where
 * {@code .ci/run} installs it), or installed with npm into {@code target/yaml-language-server}.
 * Without node and npm a test is skipped, except under CI, where it fails.
 */
final class YamlLanguageServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOCAL_PREFIX = Path.of("target", "yaml-language-server");
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final OutputStream toServer;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, JsonNode> replies = new ConcurrentHashMap<>();
  private final Map<String, JsonNode> diagnostics = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile JsonNode yamlSettings = JSON.nullNode();

  private YamlLanguageServer(Process process) {
    this.process = process;
    this.toServer = process.getOutputStream();
    this.reader = new Thread(this::readMessages, "yaml-language-server reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** A server with {@code schema} associated with every *.yaml file; skips or fails without one. */
  static YamlLanguageServer start(Path schema) throws IOException, InterruptedException {
    Path binary = find().orElseGet(YamlLanguageServer::installOrSkip);
    Process process = new ProcessBuilder(binary.toString(), "--stdio").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    YamlLanguageServer server = new YamlLanguageServer(process);
    ObjectNode capabilities = JSON.createObjectNode();
    capabilities.putObject("textDocument").putObject("completion").putObject("completionItem").put("snippetSupport", true);
    ObjectNode init = JSON.createObjectNode();
    init.put("processId", ProcessHandle.current().pid());
    init.putNull("rootUri");
    init.set("capabilities", capabilities);
    server.request("initialize", init);
    server.notify("initialized", JSON.createObjectNode());
    ObjectNode yaml = JSON.createObjectNode();
    yaml.putObject("schemas").put(schema.toAbsolutePath().toUri().toString(), "*.yaml");
    yaml.put("validate", true).put("completion", true).put("hover", true);
    server.yamlSettings = yaml;
    ObjectNode settings = JSON.createObjectNode();
    settings.putObject("settings").set("yaml", yaml);
    server.notify("workspace/didChangeConfiguration", settings);
    // The settings take effect asynchronously; an open document is validated again when they do,
    // so a document with an unknown field shows when the schema is in force.
    String probe = "file:///schema-probe/probe.yaml";
    ObjectNode params = JSON.createObjectNode();
    params.putObject("textDocument").put("uri", probe).put("languageId", "yaml").put("version", 1)
        .put("text", "not_a_job_field: 1\n");
    server.notify("textDocument/didOpen", params);
    Await.until("the job schema in force in yaml-language-server", REPLY_TIMEOUT,
        () -> server.diagnostics.containsKey(probe) && !server.diagnostics.get(probe).isEmpty());
    return server;
  }

  /** Opens a document and returns the diagnostics the server publishes for it. */
  JsonNode open(String uri, String text) throws IOException, InterruptedException {
    ObjectNode params = JSON.createObjectNode();
    params.putObject("textDocument").put("uri", uri).put("languageId", "yaml").put("version", 1).put("text", text);
    notify("textDocument/didOpen", params);
    Await.until("diagnostics for " + uri, REPLY_TIMEOUT, () -> diagnostics.containsKey(uri));
    return diagnostics.get(uri);
  }

  /** The labels of the completion items at a 0-based line and character. */
  List<String> completionLabels(String uri, int line, int character) throws IOException, InterruptedException {
    ObjectNode params = JSON.createObjectNode();
    params.putObject("textDocument").put("uri", uri);
    params.putObject("position").put("line", line).put("character", character);
    JsonNode result = request("textDocument/completion", params).get("result");
    JsonNode items = result.isArray() ? result : result.path("items");
    return java.util.stream.StreamSupport.stream(items.spliterator(), false).map(i -> i.get("label").asText()).toList();
  }

  private JsonNode request(String method, JsonNode params) throws IOException, InterruptedException {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
    message.set("params", params);
    send(message);
    Await.until("reply to " + method, REPLY_TIMEOUT, () -> replies.containsKey(id));
    JsonNode reply = replies.remove(id);
    if (reply.has("error")) fail(method + " failed: " + reply.get("error"));
    return reply;
  }

  private void notify(String method, JsonNode params) throws IOException {
    ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    message.set("params", params);
    send(message);
  }

  private synchronized void send(JsonNode message) throws IOException {
    byte[] body = JSON.writeValueAsBytes(message);
    toServer.write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    toServer.write(body);
    toServer.flush();
  }

  private void readMessages() {
    try (InputStream in = process.getInputStream()) {
      while (true) {
        int length = -1;
        for (String header = headerLine(in); !header.isEmpty(); header = headerLine(in)) {
          if (header.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(header.substring(15).trim());
        }
        JsonNode message = JSON.readTree(in.readNBytes(length));
        handle(message);
      }
    } catch (IOException | RuntimeException endOfStream) {
      // the server exited; waiting callers time out with what they waited for
    }
  }

  private void handle(JsonNode message) throws IOException {
    if (message.has("id") && message.has("method")) {
      // A request from the server: the workspace settings (sections yaml, http, [yaml], editor)
      // when it asks for them, null to anything else (capability registration).
      ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
      reply.set("id", message.get("id"));
      if ("workspace/configuration".equals(message.get("method").asText())) {
        var sections = reply.putArray("result");
        for (JsonNode item : message.at("/params/items")) {
          if ("yaml".equals(item.path("section").asText())) sections.add(yamlSettings);
          else sections.addObject();
        }
      } else {
        reply.putNull("result");
      }
      send(reply);
    } else if (message.has("id")) {
      replies.put(message.get("id").asInt(), message);
    } else if ("textDocument/publishDiagnostics".equals(message.path("method").asText())) {
      diagnostics.put(message.at("/params/uri").asText(), message.at("/params/diagnostics"));
    }
  }

  private static String headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) throw new IOException("server closed its output");
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  private static Optional<Path> find() {
    Path local = LOCAL_PREFIX.resolve(Path.of("node_modules", ".bin", "yaml-language-server"));
    if (Files.isExecutable(local)) return Optional.of(local);
    return onPath("yaml-language-server");
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) return Optional.of(p);
    }
    return Optional.empty();
  }

  private static Path installOrSkip() {
    String ci = System.getenv("CI");
    boolean underCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    if (onPath("npm").isEmpty() || onPath("node").isEmpty()) {
      if (underCi) fail("CI is set but neither yaml-language-server nor node and npm are installed; .ci/run installs them");
      Assumptions.abort("no yaml-language-server and no node/npm to install it (npm install -g yaml-language-server); under CI=true this test fails instead");
    }
    try {
      Files.createDirectories(LOCAL_PREFIX);
      Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", LOCAL_PREFIX.toString(),
          "yaml-language-server").redirectErrorStream(true).redirectOutput(LOCAL_PREFIX.resolve("npm.log").toFile()).start();
      if (!npm.waitFor(300, TimeUnit.SECONDS)) {
        npm.destroyForcibly().waitFor();
        fail("npm install yaml-language-server did not finish within 300 s");
      }
      if (npm.exitValue() != 0) fail("npm install yaml-language-server failed: " + Files.readString(LOCAL_PREFIX.resolve("npm.log")));
    } catch (IOException | InterruptedException e) {
      fail("npm install yaml-language-server: " + e);
    }
    return find().orElseThrow(() -> new AssertionError("npm installed no yaml-language-server under " + LOCAL_PREFIX));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
