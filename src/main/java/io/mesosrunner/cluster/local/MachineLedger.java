package io.mesosrunner.cluster.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * One accounting of this machine's cpus, memory and ports for every runner on it, whatever its
 * state directory: without it each local cluster would offer the whole machine, and two runners
 * started at once would each run a {@code cpus: 2} task on a 2-cpu machine. It is a small text
 * file, {@code ledger}, in the user's runtime directory ({@code $XDG_RUNTIME_DIR/mesos-runner}) or
 * else in {@code <tmp>/mesos-runner-<user>} ({@value #DIR_ENV} names another), with one line per
 * local cluster: {@code key pid start cpus mem ports job} (cpus and mem in thousandths, ports as
 * ranges or {@code -}). It is read and rewritten in place under an exclusive lock on itself. A
 * line whose runner is gone (no process with its pid and start time) counts for nothing and is
 * dropped at the next write: a runner killed with SIGKILL holds nothing.
 *
 * <p>Thread-safe: every exchange holds a JVM-wide lock too (file locks are per process).
 */
public final class MachineLedger {

  /** Environment variable naming the directory of the ledger instead of the default. */
  public static final String DIR_ENV = "RUNNER_LOCAL_LEDGER_DIR";

  private static final Object JVM_LOCK = new Object();

  /** What one other local cluster holds. */
  record Holding(long pid, String job, Amounts amounts, BitSet ports) {}

  /** What this local cluster holds after an exchange, and what the exchange decided. */
  record Claim<T>(Amounts amounts, BitSet ports, T result) {}

  private final Path file;
  /** The ledger, open for the life of this local cluster: an exchange is a lock, a read and a write. */
  private FileChannel channel;
  private final String key = UUID.randomUUID().toString();
  private final long pid = ProcessHandle.current().pid();
  private final long start = startOf(ProcessHandle.current());
  private final String job;

  private MachineLedger(Path dir, String job) {
    this.file = dir.resolve("ledger");
    this.job = job.replaceAll("\\s", "_");
  }

  /**
   * The ledger in {@code dir} (made if missing), for a local cluster running {@code job}.
   *
   * @throws IOException when the directory cannot be made
   */
  public static MachineLedger open(Path dir, String job) throws IOException {
    Files.createDirectories(dir);
    return new MachineLedger(dir, job);
  }

  /** The ledger's directory: {@value #DIR_ENV}, else the user's runtime directory, else the temporary one. */
  public static Path defaultDir(Map<String, String> env) {
    String named = env.get(DIR_ENV);
    if (named != null && !named.isBlank()) return Path.of(named);
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
      return Path.of(runtime, "mesos-runner");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "mesos-runner-" + System.getProperty("user.name"));
  }

  /**
   * Under the machine-wide lock: reads what the other live local clusters hold, lets
   * {@code decide} say what this one holds given that, and records it.
   */
  <T> T exchange(Function<List<Holding>, Claim<T>> decide) throws IOException {
    synchronized (JVM_LOCK) {
      if (channel == null || !channel.isOpen()) {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      }
      try (FileLock held = channel.lock()) {
        List<String> kept = new ArrayList<>();
        List<Holding> others = new ArrayList<>();
        for (String line : read()) {
          String[] f = line.split(" ", 7);
          if (f.length != 7 || f[0].equals(key)) continue;
          try {
            long otherPid = Long.parseLong(f[1]);
            if (!alive(otherPid, Long.parseLong(f[2]))) continue;
            others.add(new Holding(otherPid, f[6], new Amounts(Long.parseLong(f[3]), Long.parseLong(f[4]), 0, 0),
                ports(f[5])));
            kept.add(line);
          } catch (RuntimeException e) {
            // a line this version cannot read: it counts for nothing
          }
        }
        Claim<T> claim = decide.apply(List.copyOf(others));
        if (claim.amounts().cpus() > 0 || claim.amounts().mem() > 0 || !claim.ports().isEmpty()) {
          kept.add(key + " " + pid + " " + start + " " + claim.amounts().cpus() + " " + claim.amounts().mem() + " "
              + ports(claim.ports()) + " " + job);
        }
        write(kept);
        return claim.result();
      }
    }
  }

  /** This local cluster holds nothing any more; the ledger is closed. */
  void release() throws IOException {
    exchange(others -> new Claim<Void>(Amounts.ZERO, new BitSet(), null));
    synchronized (JVM_LOCK) {
      if (channel != null) channel.close();
    }
  }

  private List<String> read() throws IOException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) Math.min(channel.size(), 1 << 20));
    while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
      // read on until the buffer is full
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().toList();
  }

  private void write(List<String> lines) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String l : lines) b.append(l).append('\n');
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8));
    channel.truncate(0);
    while (bytes.hasRemaining()) channel.write(bytes, bytes.position());
  }

  private static boolean alive(long pid, long start) {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(MachineLedger::startOf)
        .map(s -> s == start || s == 0 || start == 0).orElse(false);
  }

  private static long startOf(ProcessHandle h) {
    return h.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  private static String ports(BitSet ports) {
    if (ports.isEmpty()) return "-";
    StringBuilder b = new StringBuilder();
    for (var r : Amounts.ranges(ports)) {
      if (b.length() > 0) b.append(',');
      b.append(r.begin()).append('-').append(r.end());
    }
    return b.toString();
  }

  private static BitSet ports(String text) {
    BitSet out = new BitSet();
    if (text.equals("-")) return out;
    for (String r : text.split(",")) {
      String[] ends = r.split("-");
      out.set(Integer.parseInt(ends[0]), Integer.parseInt(ends[1]) + 1);
    }
    return out;
  }
}
