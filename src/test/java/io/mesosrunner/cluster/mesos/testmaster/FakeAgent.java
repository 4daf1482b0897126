package io.mesosrunner.cluster.mesos.testmaster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;
import org.apache.mesos.v1.Protos;

/**
 * A fake Mesos agent: the resources the master offers from it, and a real HTTP server on
 * 127.0.0.1 serving the agent's {@code /files/read}, {@code /files/browse} and {@code /files/download}
 * for the task sandboxes ({@link AgentFiles}).
 *
 * <p>Sandbox files exist in memory under both path forms of the real agent: the virtual
 * {@code /frameworks/<fid>/executors/<eid>/runs/latest/<file>} and the absolute
 * {@code <work_dir>/slaves/<agent>/frameworks/<fid>/executors/<eid>/runs/<container>/<file>}.
 * Thread-safe: files are guarded by their own lock; resources by the master's lock.
 */
public final class FakeAgent implements AutoCloseable {
    /** The fake work dir used in absolute sandbox paths. */
    public static final String WORK_DIR = "/var/lib/mesos-fake/agent";

    private final AgentSpec spec;
    private final String agentId;
    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();
    private final Map<String, Long> mtimes = new HashMap<>();
    /** The absolute directory of each executor's latest run, by its virtual directory. */
    private final Map<String, String> absoluteDirs = new HashMap<>();

    /** Resources neither offered nor used by tasks (guarded by the master's lock). */
    final ResourcePool available;
    /** Whether the agent is registered and reachable (guarded by the master's lock). */
    boolean reachable = true;
    /** Whether the master has removed the agent (marked unreachable): gone from /master/slaves. */
    boolean removed;
    /** When the agent registered, epoch seconds (guarded by the master's lock). */
    double registeredTime = System.currentTimeMillis() / 1000.0;

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
        AgentFiles endpoints = new AgentFiles(this);
        server.createContext("/files/read", endpoints::read);
        server.createContext("/files/browse", endpoints::browse);
        server.createContext("/files/download", endpoints::download);
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
            absoluteDirs.put(virtualSandbox(frameworkId, executorId), absoluteSandbox(frameworkId, executorId, containerId));
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
     * Appends bytes to a file of the executor's sandbox, creating it (under both path forms of
     * the latest run, as a task writing a file of its own would).
     */
    public void writeFile(String frameworkId, String executorId, String file, byte[] bytes) {
        synchronized (files) {
            String virtual = virtualSandbox(frameworkId, executorId) + "/" + file;
            ByteArrayOutputStream f = files.get(virtual);
            if (f == null) {
                f = new ByteArrayOutputStream();
                files.put(virtual, f);
                String absolute = absoluteDirs.get(virtualSandbox(frameworkId, executorId));
                if (absolute != null) {
                    files.put(absolute + "/" + file, f);
                }
            }
            f.writeBytes(bytes);
            mtimes.put(virtual, System.currentTimeMillis() / 1000);
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

    /** The content of a sandbox file by either path form; null when there is none. */
    byte[] content(String path) {
        synchronized (files) {
            ByteArrayOutputStream f = files.get(path);
            return f == null ? null : f.toByteArray();
        }
    }

    /** Whether {@code path} is a directory of the sandbox: some file lies beneath it. */
    boolean isDirectory(String path) {
        String dir = path.endsWith("/") ? path : path + "/";
        synchronized (files) {
            return files.keySet().stream().anyMatch(p -> p.startsWith(dir));
        }
    }

    /** The files directly in {@code dir}, sorted by path: path, size, mtime (epoch seconds). */
    List<AgentFiles.Entry> list(String dir) {
        String d = dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        List<AgentFiles.Entry> out = new ArrayList<>();
        synchronized (files) {
            List<String> names = new ArrayList<>(files.keySet());
            names.sort(null);
            for (String name : names) {
                if (name.startsWith(d + "/") && name.indexOf('/', d.length() + 1) < 0) {
                    out.add(new AgentFiles.Entry(name, files.get(name).size(), mtimes.getOrDefault(name, 0L)));
                }
            }
        }
        return out;
    }

    void countFileRead() {
        fileReads.add(System.currentTimeMillis());
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
