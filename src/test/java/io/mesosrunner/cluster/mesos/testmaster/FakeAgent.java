package io.mesosrunner.cluster.mesos.testmaster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.Protos;

/**
 * A fake Mesos agent: the resources the master offers from it, and a real HTTP server on
 * 127.0.0.1 serving the agent's {@code /files/read} and {@code /files/browse} for the task sandboxes.
 *
 * <p>Sandbox files exist in memory under both path forms of the real agent: the virtual
 * {@code /frameworks/<fid>/executors/<eid>/runs/latest/<file>} and the absolute
 * {@code <work_dir>/slaves/<agent>/frameworks/<fid>/executors/<eid>/runs/<container>/<file>}.
 * Thread-safe: files are guarded by their own lock; resources by the master's lock.
 */
public final class FakeAgent implements AutoCloseable {
    /** The fake work dir used in absolute sandbox paths. */
    public static final String WORK_DIR = "/var/lib/mesos-fake/agent";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentSpec spec;
    private final String agentId;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
    private final Map<String, Long> mtimes = new HashMap<>();

    /** Resources neither offered nor used by tasks (guarded by the master's lock). */
    final ResourcePool available;
    /** Whether the agent is registered and reachable (guarded by the master's lock). */
    boolean reachable = true;

    FakeAgent(AgentSpec spec, String agentId) throws IOException {
        this(spec, agentId, true);
    }

    /**
     * An agent; without a files server (for benchmarks with thousands of agents) it binds no port,
     * {@link #port()} is 0 and nobody can read its sandbox over HTTP.
     */
    private final java.util.Queue<Long> fileReads = new java.util.concurrent.ConcurrentLinkedQueue<>();

    FakeAgent(AgentSpec spec, String agentId, boolean filesServer) throws IOException {
        this.spec = spec;
        this.agentId = agentId;
        this.available = ResourcePool.of(spec);
        if (!filesServer) {
            this.server = null;
            this.httpThreads = null;
            return;
        }
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.httpThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-agent-" + agentId);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(httpThreads);
        server.createContext("/files/read", this::read);
        server.createContext("/files/browse", this::browse);
        server.start();
    }

    public String agentId() {
        return agentId;
    }

    public AgentSpec spec() {
        return spec;
    }

    /** The agent's HTTP port on 127.0.0.1; 0 when it runs no files server. */
    public int port() {
        return server == null ? 0 : server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** The {@code url} field of offers from this agent. */
    Protos.URL url() {
        return Protos.URL.newBuilder().setScheme("http")
                .setAddress(Protos.Address.newBuilder().setHostname(spec.hostname()).setIp("127.0.0.1").setPort(port()))
                .setPath("/slave(1)").build();
    }

    /** The virtual sandbox directory of an executor. */
    public static String virtualSandbox(String frameworkId, String executorId) {
        return "/frameworks/" + frameworkId + "/executors/" + executorId + "/runs/latest";
    }

    /** The absolute sandbox directory of an executor run. */
    public String absoluteSandbox(String frameworkId, String executorId, String containerId) {
        return WORK_DIR + "/slaves/" + agentId + "/frameworks/" + frameworkId + "/executors/" + executorId
                + "/runs/" + containerId;
    }

    /** Creates the empty stdout and stderr of a new executor run (replacing an earlier run's). */
    void createSandbox(String frameworkId, String executorId, String containerId) {
        synchronized (files) {
            long now = System.currentTimeMillis() / 1000;
            for (String name : List.of("stdout", "stderr")) {
                ByteArrayOutputStream f = new ByteArrayOutputStream();
                for (String dir : List.of(virtualSandbox(frameworkId, executorId),
                        absoluteSandbox(frameworkId, executorId, containerId))) {
                    files.put(dir + "/" + name, f);
                    mtimes.put(dir + "/" + name, now);
                }
            }
        }
    }

    /** Appends text to a sandbox file of the latest run of an executor. */
    void append(String frameworkId, String executorId, String file, String text) {
        synchronized (files) {
            ByteArrayOutputStream f = files.get(virtualSandbox(frameworkId, executorId) + "/" + file);
            if (f != null) {
                f.writeBytes(text.getBytes(StandardCharsets.UTF_8));
                mtimes.put(virtualSandbox(frameworkId, executorId) + "/" + file, System.currentTimeMillis() / 1000);
            }
        }
    }

    /**
     * Removes every sandbox of a framework, as the agent's garbage collection does some time after
     * the executors ended: {@code /files/read} of them answers 404 from then on.
     */
    public void garbageCollect(String frameworkId) {
        synchronized (files) {
            String virtual = "/frameworks/" + frameworkId + "/";
            String absolute = WORK_DIR + "/slaves/" + agentId + virtual;
            files.keySet().removeIf(p -> p.startsWith(virtual) || p.startsWith(absolute));
            mtimes.keySet().removeIf(p -> p.startsWith(virtual) || p.startsWith(absolute));
        }
    }

    /** The whole content of a sandbox file, by either path form. */
    public Optional<String> file(String path) {
        synchronized (files) {
            ByteArrayOutputStream f = files.get(path);
            return f == null ? Optional.empty() : Optional.of(f.toString(StandardCharsets.UTF_8));
        }
    }

    /** When each {@code /files/read} request arrived (epoch ms), oldest first: output polling as seen by the agent. */
    public List<Long> fileReadTimes() {
        return List.copyOf(fileReads);
    }

    private void read(HttpExchange ex) throws IOException {
        fileReads.add(System.currentTimeMillis());
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI());
            String path = q.get("path");
            if (path == null) {
                text(ex, 400, "Expecting 'path=value' in query.");
                return;
            }
            byte[] content;
            synchronized (files) {
                ByteArrayOutputStream f = files.get(path);
                if (f == null) {
                    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                    ex.sendResponseHeaders(404, -1);
                    return;
                }
                content = f.toByteArray();
            }
            long offset = q.containsKey("offset") ? Long.parseLong(q.get("offset")) : -1;
            ObjectNode body = JSON.createObjectNode();
            if (offset < 0) {
                body.put("data", "");
                body.put("offset", content.length);
            } else {
                long length = q.containsKey("length") ? Long.parseLong(q.get("length")) : 16L * 4096;
                int from = (int) Math.min(offset, content.length);
                int to = (int) Math.min((long) content.length, from + Math.max(0, length));
                body.put("data", new String(Arrays.copyOfRange(content, from, to), StandardCharsets.UTF_8));
                body.put("offset", offset);
            }
            json(ex, body.toString());
        } catch (NumberFormatException e) {
            text(ex, 400, "Failed to parse offset or length: " + e.getMessage());
        }
    }

    private void browse(HttpExchange ex) throws IOException {
        try (ex) {
            String path = query(ex.getRequestURI()).get("path");
            if (path == null) {
                text(ex, 400, "Expecting 'path=value' in query.");
                return;
            }
            String dir = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            ArrayNode list = JSON.createArrayNode();
            synchronized (files) {
                List<String> names = new ArrayList<>(files.keySet());
                names.sort(null);
                for (String name : names) {
                    if (name.startsWith(dir + "/") && name.indexOf('/', dir.length() + 1) < 0) {
                        ObjectNode e = list.addObject();
                        e.put("gid", "root");
                        e.put("mode", "-rw-r--r--");
                        e.put("mtime", (double) mtimes.getOrDefault(name, 0L));
                        e.put("nlink", 1);
                        e.put("path", name);
                        e.put("size", files.get(name).size());
                        e.put("uid", "root");
                    }
                }
            }
            if (list.isEmpty()) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            json(ex, list.toString());
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void json(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        httpThreads.shutdownNow();
    }
}
