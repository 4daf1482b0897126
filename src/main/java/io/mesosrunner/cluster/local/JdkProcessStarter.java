package io.mesosrunner.cluster.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts task processes with the JDK's {@link ProcessBuilder}, each through {@code setsid -w}
 * (util-linux) so that it leads a new session and process group; group signals go through the
 * {@code kill} command. Without {@code setsid} or {@code kill}, tasks stay in the runner's group
 * and only their descendants are signalled. Starts happen on two threads of its own.
 */
final class JdkProcessStarter implements ProcessStarter {

  private static final Logger LOG = LoggerFactory.getLogger(JdkProcessStarter.class);
  private static final File DEV_NULL = new File("/dev/null");

  private final String setsid = ProcessStarter.firstExecutable("/usr/bin/setsid", "/bin/setsid");
  private final ProcessTrees.KillCommand kill = new ProcessTrees.KillCommand();
  private final ExecutorService starters;

  JdkProcessStarter() {
    AtomicInteger n = new AtomicInteger();
    this.starters = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "local-cluster-spawn-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public boolean usesProcessGroups() {
    return setsid != null && kill.usesProcessGroups();
  }

  @Override
  public void signalGroups(List<Long> groups, String signal) {
    kill.signalGroups(groups, signal);
  }

  @Override
  public String describe() {
    return usesProcessGroups() ? "JDK process builder with setsid" : "JDK process builder";
  }

  @Override
  public void start(Path sandbox, Map<String, String> env, List<String> argv, Callback callback) {
    try {
      starters.execute(() -> startNow(sandbox, env, argv, callback));
    } catch (RejectedExecutionException e) {
      callback.ended(127, "the local cluster is closing");
    }
  }

  private void startNow(Path sandbox, Map<String, String> env, List<String> argv, Callback callback) {
    Path err = sandbox.resolve("stderr");
    Process process;
    try {
      Files.createDirectories(sandbox);
      List<String> command = argv;
      if (usesProcessGroups()) {
        command = new ArrayList<>(argv.size() + 2);
        command.add(setsid);
        command.add("-w");
        command.addAll(argv);
      }
      ProcessBuilder pb = new ProcessBuilder(command)
          .directory(sandbox.toFile())
          .redirectInput(DEV_NULL)
          .redirectOutput(sandbox.resolve("stdout").toFile())
          .redirectError(err.toFile());
      pb.environment().putAll(env);
      process = pb.start();
    } catch (IOException | RuntimeException e) {
      String message = "Failed to start command: " + e.getMessage();
      LocalExecutor.appendQuietly(err, message);
      callback.ended(127, message);
      return;
    }
    long started = process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    writePidFile(sandbox, process.pid(), started);
    callback.started(process.pid());
    process.onExit().whenComplete((p, ex) -> callback.ended(process.exitValue(), null));
  }

  @Override
  public void close() {
    starters.shutdown();
    try {
      if (!starters.awaitTermination(5, TimeUnit.SECONDS)) {
        starters.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Records the task's pid and start time in its sandbox: if this runner dies, the next one can
   * find and kill what it left running (the processes are in their own session and outlive it).
   */
  private static void writePidFile(Path sandbox, long pid, long started) {
    try {
      Files.writeString(sandbox.resolve(LocalCluster.PID_FILE), pid + " " + started + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.warn("cannot record the pid of the task in {}: {}", sandbox, e.getMessage());
    }
  }
}
