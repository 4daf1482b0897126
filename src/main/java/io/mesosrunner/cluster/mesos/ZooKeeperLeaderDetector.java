package io.mesosrunner.cluster.mesos;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading Mesos master in ZooKeeper and follows leader changes. The masters hold one
 * ephemeral sequential znode each under the path ({@code json.info_0000000001}, ...); the lowest
 * sequence is the leader, and its data is the leader's MasterInfo as JSON.
 *
 * <p>Threading: the listener is called from Curator's event thread, once per change of leader
 * (with null when no master is registered); it must not block. {@link #current()} may be read
 * from any thread.
 */
final class ZooKeeperLeaderDetector implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperLeaderDetector.class);
  private static final String PREFIX = "json.info_";
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** A leading master's HTTP address. */
  public record Leader(String host, int port) {
    public Leader {
      Objects.requireNonNull(host, "host");
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("leader port (" + port + ") out of range");
      }
    }

    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  private final MasterAddress.ZooKeeper address;
  private final Consumer<Leader> listener;
  private final Object lock = new Object();
  private final CuratorWatcher watcher = event -> schedule(0);
  private ScheduledExecutorService worker;
  private CuratorFramework client;
  private volatile Leader current;
  private volatile boolean known;
  private volatile boolean closed;

  public ZooKeeperLeaderDetector(MasterAddress.ZooKeeper address, Consumer<Leader> listener) {
    this.address = Objects.requireNonNull(address, "address");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Connects to ZooKeeper and starts watching. Returns at once; the leader comes to the listener. */
  public void start() {
    synchronized (lock) {
      if (client != null || closed) {
        throw new IllegalStateException("already started or closed");
      }
      worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mesos-zk-leader");
        t.setDaemon(true);
        return t;
      });
      client = CuratorFrameworkFactory.builder()
          .connectString(address.connectString())
          .retryPolicy(new ExponentialBackoffRetry(500, 3, 5_000))
          .sessionTimeoutMs(30_000)
          .connectionTimeoutMs(10_000)
          .build();
      client.getConnectionStateListenable().addListener((c, state) -> {
        if (state == ConnectionState.RECONNECTED || state == ConnectionState.CONNECTED) {
          schedule(0);
        }
      });
      client.start();
      log.debug("watching ZooKeeper {} for the leading Mesos master", address);
    }
    schedule(0);
  }

  /** The leader last seen, if any. */
  public Optional<Leader> current() {
    return Optional.ofNullable(current);
  }

  private void schedule(long delayMs) {
    synchronized (lock) {
      if (!closed && worker != null) {
        worker.schedule(this::refresh, delayMs, TimeUnit.MILLISECONDS);
      }
    }
  }

  private void refresh() {
    if (closed) {
      return;
    }
    try {
      Leader leader = readLeader();
      publish(leader);
    } catch (KeeperException.NoNodeException e) {
      schedule(0);
    } catch (Exception e) {
      if (!closed) {
        log.debug("cannot read the Mesos leader from {}: {}", address, e.toString());
        schedule(2_000);
      }
    }
  }

  private Leader readLeader() throws Exception {
    if (client.checkExists().usingWatcher(watcher).forPath(address.path()) == null) {
      return null;
    }
    List<String> children = client.getChildren().usingWatcher(watcher).forPath(address.path());
    Optional<String> lowest = children.stream()
        .filter(n -> n.startsWith(PREFIX) && sequence(n) >= 0)
        .min(Comparator.comparingLong(ZooKeeperLeaderDetector::sequence));
    if (lowest.isEmpty()) {
      return null;
    }
    String path = address.path() + "/" + lowest.get();
    byte[] data = client.getData().forPath(path);
    try {
      return parseMasterInfo(data);
    } catch (IOException | IllegalArgumentException e) {
      log.warn("cannot read the MasterInfo in {}: {}", path, e.getMessage());
      return null;
    }
  }

  private void publish(Leader leader) {
    synchronized (lock) {
      if (closed || (known && Objects.equals(leader, current))) {
        return;
      }
      known = true;
      current = leader;
    }
    log.info("leading Mesos master from {}: {}", address, leader == null ? "none" : leader);
    listener.accept(leader);
  }

  static long sequence(String name) {
    try {
      return Long.parseLong(name.substring(PREFIX.length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /**
   * The address in a MasterInfo JSON: {@code address.hostname} (or {@code address.ip}) and
   * {@code address.port}, falling back to the top-level {@code hostname} and {@code port}.
   */
  static Leader parseMasterInfo(byte[] json) throws IOException {
    if (json == null || json.length == 0) {
      throw new IOException("empty MasterInfo");
    }
    JsonNode root = JSON.readTree(json);
    JsonNode address = root.path("address");
    String host = text(address, "hostname");
    if (host == null) host = text(address, "ip");
    if (host == null) host = text(root, "hostname");
    int port = address.path("port").asInt(0);
    if (port == 0) port = root.path("port").asInt(0);
    if (host == null || port == 0) {
      throw new IOException("MasterInfo names no host and port: " + new String(json, java.nio.charset.StandardCharsets.UTF_8));
    }
    return new Leader(host, port);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }

  /** Stops watching and closes the ZooKeeper session. Idempotent. */
  @Override
  public void close() {
    CuratorFramework f;
    ScheduledExecutorService w;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      f = client;
      w = worker;
    }
    if (w != null) w.shutdownNow();
    if (f != null) f.close();
  }
}
