package io.mesosrunner.cluster.local;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts task processes through one Perl helper process, the spawner ({@code spawner.pl} beside
 * this class), which forks each task, makes it a session and process group leader with
 * {@code setsid(2)}, sets up its sandbox and execs it. A task costs one fork and one exec, where
 * {@link JdkProcessStarter} pays a second exec for {@code setsid(1)} and the JDK's own process
 * bookkeeping: on 2,000 short tasks that is most of the runner's cost over {@code xargs -P}.
 * Perl is part of every Debian and Ubuntu system ({@code perl-base} is essential) and of most
 * other Linux distributions; where it is missing, {@link #tryStart} says so and the local cluster
 * uses the JDK starter.
 *
 * <p>Protocol. To the spawner, records of {@code <byte length>\n} then NUL-separated UTF-8 fields:
 * {@code L, <start id>, <sandbox>, <n>, n x (name, value), <m>, m x argv} launches;
 * {@code K, <signal>, <pgid>...} signals process groups. From the spawner, lines:
 * {@code READY <pid>} once, {@code S <start id> <pid>} when forked, {@code X <start id> <message>}
 * when the child could not exec, {@code E <start id> <exit value> <peak KiB>} when reaped (128 + N
 * for signal N; the peak resident memory of the child or a descendant it waited for, -1 unknown). The spawner ignores the terminal's signals and exits when its input closes; tasks
 * still running then live on in their own sessions.
 *
 * <p>Thread-safe; callbacks run on the reader thread.
 */
final class PerlProcessStarter implements ProcessStarter {

  private static final Logger LOG = LoggerFactory.getLogger(PerlProcessStarter.class);
  private static final String SCRIPT = "spawner.pl";

  private final Process spawner;
  private final OutputStream toSpawner;
  private final BufferedReader fromSpawner;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong();
  private final ProcessTrees.KillCommand fallbackKill = new ProcessTrees.KillCommand();
  private final Consumer<String> onDeath;
  private final Thread reader;
  private final ByteArrayOutputStream record = new ByteArrayOutputStream(1024);
  private volatile boolean closing;
  private volatile boolean broken;

  /** A start the spawner has not reported the end of yet. */
  private static final class Pending {
    final Callback callback;
    volatile String startError;

    Pending(Callback callback) {
      this.callback = callback;
    }
  }

  private PerlProcessStarter(Process spawner, BufferedReader fromSpawner, Consumer<String> onDeath) {
    this.spawner = spawner;
    this.toSpawner = spawner.getOutputStream();
    this.fromSpawner = fromSpawner;
    this.onDeath = onDeath;
    this.reader = new Thread(this::readEvents, "local-cluster-spawner-events");
    reader.setDaemon(true);
  }

  /**
   * Starts the spawner with {@code perl}, or returns null with the reason logged when it cannot
   * run here (no Perl, or no POSIX module).
   *
   * @param onDeath told why, if the spawner ends before {@link #close}
   */
  static PerlProcessStarter tryStart(Consumer<String> onDeath) {
    String script;
    try (InputStream in = PerlProcessStarter.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        LOG.debug("{} is missing from the class path", SCRIPT);
        return null;
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.debug("cannot read {}: {}", SCRIPT, e.toString());
      return null;
    }
    String perl = ProcessStarter.firstExecutable("/usr/bin/perl", "/bin/perl");
    if (perl == null) {
      LOG.debug("no perl, the local cluster starts tasks through the JDK");
      return null;
    }
    Process p;
    try {
      p = new ProcessBuilder(perl, "-e", script)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      LOG.debug("cannot start perl: {}", e.toString());
      return null;
    }
    BufferedReader in = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
    String first;
    try {
      first = in.readLine();
    } catch (IOException e) {
      first = null;
    }
    if (first == null || !first.startsWith("READY ")) {
      LOG.debug("the perl spawner did not start (said {})", first);
      p.destroyForcibly();
      return null;
    }
    PerlProcessStarter starter = new PerlProcessStarter(p, in, onDeath);
    starter.reader.start();
    return starter;
  }

  @Override
  public String describe() {
    return "perl spawner (pid " + spawner.pid() + ")";
  }

  @Override
  public boolean usesProcessGroups() {
    return true;
  }

  @Override
  public void start(Path sandbox, Map<String, String> env, List<String> argv, Callback callback) {
    long id = nextId.incrementAndGet();
    Pending p = new Pending(callback);
    pending.put(id, p);
    synchronized (record) {
      record.reset();
      field("L");
      field(Long.toString(id));
      field(sandbox.toString());
      field(Integer.toString(env.size()));
      for (Map.Entry<String, String> e : env.entrySet()) {
        field(e.getKey());
        field(e.getValue());
      }
      field(Integer.toString(argv.size()));
      for (String a : argv) {
        field(a);
      }
      if (send()) {
        return;
      }
    }
    if (pending.remove(id) != null) {
      String message = "Failed to start command: the local process spawner is gone";
      LocalExecutor.appendQuietly(sandbox.resolve("stderr"), message);
      callback.ended(127, message);
    }
  }

  @Override
  public void signalGroups(List<Long> groups, String signal) {
    synchronized (record) {
      record.reset();
      field("K");
      field(signal);
      for (long g : groups) {
        field(Long.toString(g));
      }
      if (send()) {
        return;
      }
    }
    fallbackKill.signalGroups(groups, signal);
  }

  /** Appends one field (NUL-separated from the one before) to {@link #record}. */
  private void field(String value) {
    if (record.size() > 0) {
      record.write(0);
    }
    record.writeBytes(value.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends {@link #record}; false when the spawner is gone. Holds the lock of {@link #record}. */
  private boolean send() {
    if (broken) {
      return false;
    }
    try {
      toSpawner.write((record.size() + "\n").getBytes(StandardCharsets.US_ASCII));
      record.writeTo(toSpawner);
      toSpawner.flush();
      return true;
    } catch (IOException e) {
      broken = true;
      LOG.debug("cannot write to the perl spawner: {}", e.toString());
      return false;
    }
  }

  private void readEvents() {
    String why = "it closed its output";
    try {
      String line;
      while ((line = fromSpawner.readLine()) != null) {
        handle(line);
      }
    } catch (IOException | UncheckedIOException e) {
      why = e.toString();
    } catch (RuntimeException e) {
      why = "it said something unexpected: " + e;
      LOG.error("local cluster: {}", why, e);
    }
    broken = true;
    if (!closing) {
      int code = -1;
      try {
        if (spawner.waitFor(1, TimeUnit.SECONDS)) {
          code = spawner.exitValue();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      onDeath.accept("the local cluster's process spawner (perl, pid " + spawner.pid()
          + ") ended unexpectedly" + (code >= 0 ? " with exit value " + code : "") + ": " + why);
    }
  }

  private void handle(String line) {
    int a = line.indexOf(' ');
    int b = line.indexOf(' ', a + 1);
    if (a != 1 || b < 0) {
      throw new IllegalArgumentException("bad line from the spawner: " + line);
    }
    long id = Long.parseLong(line.substring(2, b));
    String rest = line.substring(b + 1);
    switch (line.charAt(0)) {
      case 'S' -> {
        Pending p = pending.get(id);
        if (p != null) {
          p.callback.started(Long.parseLong(rest));
        }
      }
      case 'X' -> {
        Pending p = pending.get(id);
        if (p != null) {
          p.startError = rest;
        }
      }
      case 'E' -> {
        Pending p = pending.remove(id);
        if (p != null) {
          String[] f = rest.split(" ");
          if (f.length > 1 && Long.parseLong(f[1]) >= 0) p.callback.peakMemory(Long.parseLong(f[1]));
          p.callback.ended(Integer.parseInt(f[0]), p.startError);
        }
      }
      default -> throw new IllegalArgumentException("bad line from the spawner: " + line);
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      toSpawner.close();
    } catch (IOException e) {
      LOG.debug("closing the spawner's input: {}", e.toString());
    }
    try {
      if (!spawner.waitFor(5, TimeUnit.SECONDS)) {
        spawner.destroyForcibly();
      }
      reader.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
