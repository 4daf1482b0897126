package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local cluster's executor, the part a Mesos agent's command executor plays: it starts a
 * task's process in its sandbox (after looking its program up, so that a missing one fails as
 * the command executor's does), follows its output files, signals its process tree on a kill
 * (SIGTERM, then SIGKILL after the grace period) and maps how it ended to a terminal state and
 * message.
 *
 * <p>Threading: {@link #spawn}, {@link #kill} and {@link #cleanUp} run on the event loop, which
 * also owns the cache of programs found. The {@link ProcessStarter} reports on a thread of its
 * own; this class passes those reports back to the loop through {@link Reports}. Signals are
 * sent from one signal thread (a kill never blocks the loop); output is read by the
 * {@link SandboxFileTailer}'s thread.
 */
final class LocalExecutor {

  /** How a task's process turned out; called on the event loop. */
  interface Reports {
    /** The process runs. */
    void spawned(LocalTask task);

    /**
     * The process ended with {@code exitValue} (null if it never started, then
     * {@code startError} says why), and its output has been delivered.
     */
    void ended(LocalTask task, Integer exitValue, String startError);
  }

  /** The terminal state of a task, its message and exit code (null when there is none). */
  record Ending(TaskState state, String message, Integer exitCode) {}

  private static final Logger LOG = LoggerFactory.getLogger(LocalExecutor.class);

  private final LocalConfig config;
  private final LocalLoop loop;
  private final ExecutorService signaller;
  /** Fetches uris into sandboxes, one task at a time, off the event loop. */
  private final ExecutorService fetcherThread;
  private final UriFetcher fetcher;
  private final SandboxFileTailer tailer;
  private final Thread tailerThread;
  /** Event loop: programs found runnable (see {@link #programProblem}). */
  private final Set<String> runnable = new HashSet<>();
  private volatile ProcessStarter starter;
  private volatile ProcessTrees trees;
  private Reports reports;

  LocalExecutor(LocalConfig config, LocalLoop loop) {
    this.config = config;
    this.loop = loop;
    this.signaller = Executors.newSingleThreadExecutor(LocalLoop.named("local-cluster-signal"));
    this.fetcherThread = Executors.newSingleThreadExecutor(LocalLoop.named("local-cluster-fetch"));
    this.fetcher = new UriFetcher(config.uriBase(), config.runDir());
    this.tailer = new SandboxFileTailer(loop::deliverLine, () -> {
      ProcessTrees t = trees;
      if (t != null) {
        t.sweepSometimes();
      }
    });
    this.tailerThread = LocalLoop.named("local-cluster-output").newThread(tailer);
  }

  /** Starts the process starter and the output thread; {@code reports} hears of every task. */
  void start(Reports reports) {
    this.reports = reports;
    this.starter = newStarter();
    this.trees = new ProcessTrees(starter);
    LOG.debug("local cluster starts tasks through the {}", starter.describe());
    tailerThread.start();
  }

  private ProcessStarter newStarter() {
    if (config.starter() != LocalConfig.Starter.JDK) {
      ProcessStarter perl = PerlProcessStarter.tryStart(
          why -> loop.post(() -> loop.emit(new Event.ClusterFailed(why))));
      if (perl != null) {
        return perl;
      }
      if (config.starter() == LocalConfig.Starter.PERL) {
        throw new IllegalStateException("the local cluster cannot start its Perl process spawner"
            + " (is perl with its POSIX module installed?)");
      }
    }
    return new JdkProcessStarter();
  }

  /** The process trees of this executor's tasks; null before {@link #start}. */
  ProcessTrees trees() {
    return trees;
  }

  /**
   * On the event loop: fetches the task's uris into its sandbox (on the fetcher's thread, so a
   * slow download holds up no other task's events), then hands the task to the starter. A uri
   * that cannot be fetched fails the task with the reason, as Mesos's fetcher does.
   */
  void spawn(LocalTask task) {
    if (task.spec.job().uris().isEmpty()) {
      spawnFetched(task);
      return;
    }
    try {
      fetcherThread.execute(() -> {
        String problem = null;
        try {
          fetcher.fetchAll(task.spec.job().uris(), task.sandbox);
        } catch (UriFetcher.FetchFailedException e) {
          problem = e.getMessage();
        }
        String fetchProblem = problem;
        loop.post(() -> {
          if (fetchProblem == null) {
            spawnFetched(task);
          } else {
            failBeforeStart(task, fetchProblem);
          }
        });
      });
    } catch (RejectedExecutionException e) {
      failBeforeStart(task, UriFetcher.FAILED + " uris: the local cluster is stopping");
    }
  }

  private void spawnFetched(LocalTask task) {
    TaskSpec spec = task.spec;
    Path out = task.sandbox.resolve("stdout");
    Path err = task.sandbox.resolve("stderr");
    Map<String, String> env = new LinkedHashMap<>(spec.job().env());
    env.putAll(spec.env());
    env.put("MESOS_SANDBOX", task.sandbox.toString());
    env.put("MESOS_TASK_ID", spec.taskId());
    List<String> argv = spec.job().command().isShell()
        ? List.of("/bin/sh", "-c", spec.job().command().shell())
        : spec.job().command().argv();
    String problem = hasNul(argv) || hasNul(env.keySet()) || hasNul(env.values())
        ? "invalid null character in command"
        : programProblem(argv.get(0), env.getOrDefault("PATH", System.getenv("PATH")), task.sandbox);
    if (problem != null) {
      failBeforeStart(task, "Failed to start command: " + problem);
      return;
    }
    starter.start(task.sandbox, env, argv, new ProcessStarter.Callback() {
      @Override
      public void started(long pid) {
        task.pid = pid;
        if (config.tailOutput()) {
          tailer.watch(spec.taskId(), spec, out, err);
        }
        loop.post(() -> reports.spawned(task));
      }

      @Override
      public void peakMemory(long kib) {
        task.peakMemKib = kib;
      }

      @Override
      public void ended(int exitValue, String startError) {
        task.gone.countDown();
        Integer value = startError == null ? exitValue : null;
        if (startError == null && exitValue == 0 && !spec.outputs().isEmpty() && !task.killRequested) {
          // While the sandbox still exists, and before the task counts as finished.
          List<String> warnings = new ArrayList<>();
          String missing = OutputCollector.collect(task.sandbox, config.runDir().resolve("outputs")
              .resolve(spec.step()).resolve(Integer.toString(spec.instance())), spec.outputs(), warnings);
          if (missing != null) {
            value = null;
            startError = missing;
          } else if (!warnings.isEmpty()) {
            task.outputWarning = String.join("; ", warnings);
          }
        }
        String problem = startError;
        Integer exit = value;
        Runnable end = () -> loop.post(() -> reports.ended(task, exit, problem));
        if (config.tailOutput()) {
          tailer.finish(spec.taskId(), spec, out, err, end);
        } else {
          end.run();
        }
      }
    });
  }

  /** Ends a task that never started: the message goes to its stderr and into its update. */
  private void failBeforeStart(LocalTask task, String message) {
    TaskSpec spec = task.spec;
    Path out = task.sandbox.resolve("stdout");
    Path err = task.sandbox.resolve("stderr");
    try {
      Files.createDirectories(task.sandbox);
    } catch (IOException ignored) {
      // the update carries the message anyway
    }
    appendQuietly(err, message);
    task.gone.countDown();
    if (config.tailOutput()) {
      tailer.finish(spec.taskId(), spec, out, err, () -> loop.post(() -> reports.ended(task, null, message)));
    } else {
      loop.post(() -> reports.ended(task, null, message));
    }
  }

  private static boolean hasNul(Collection<String> values) {
    for (String v : values) {
      if (v.indexOf('\0') >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Appends a line to a file, creating it; a failure is only logged. */
  static void appendQuietly(Path file, String line) {
    try {
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.debug("cannot write {}: {}", file, e.toString());
    }
  }

  /**
   * {@link #findProblem}, remembering the programs found runnable (absolute, or looked up in a
   * PATH; not relative to a sandbox), so that every task of a job does not stat {@code /bin/sh}
   * again. A program removed later still fails to start, with the starter's message.
   */
  private String programProblem(String program, String path, Path workDir) {
    boolean sandboxRelative = program.contains("/") && !program.startsWith("/");
    String key = program + '\0' + path;
    if (!sandboxRelative && runnable.contains(key)) {
      return null;
    }
    String problem = findProblem(program, path, workDir);
    if (problem == null && !sandboxRelative) {
      runnable.add(key);
    }
    return problem;
  }

  /** Why {@code program} cannot be executed, or null when it looks executable. */
  private static String findProblem(String program, String path, Path workDir) {
    if (program.contains("/")) {
      Path p = workDir.resolve(program);
      if (!Files.exists(p)) {
        return program + ": No such file or directory";
      }
      return Files.isRegularFile(p) && Files.isExecutable(p) ? null : program + ": Permission denied";
    }
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return null;
      }
    }
    return program + ": command not found in PATH";
  }

  /**
   * On the event loop: kills the task, SIGTERM now and SIGKILL after the grace period (unless it
   * ended by then). A task whose process has not started yet is killed when it has
   * ({@link LocalMaster} calls this again on {@link Reports#spawned}).
   */
  void kill(LocalTask task) {
    task.killRequested = true;
    if (task.pid != 0 && !task.signalled) {
      task.signalled = true;
      signalLater(task, false);
      task.killTimer = loop.schedule(() -> {
        if (!task.finished) {
          signalLater(task, true);
        }
      }, config.killGrace().toNanos());
    }
  }

  private void signalLater(LocalTask task, boolean force) {
    long pid = task.pid;
    if (pid == 0) {
      return;
    }
    try {
      signaller.execute(() -> trees.signal(pid, task.seen, force));
    } catch (RejectedExecutionException e) {
      trees.signal(pid, task.seen, force);
    }
  }

  /** On the event loop, once a task has ended: its timer goes, what is left of its tree is killed. */
  void cleanUp(LocalTask task) {
    if (task.killTimer != null) {
      task.killTimer.cancel(false);
    }
    if (task.pid != 0) {
      trees.sweepLater(task.pid);
      if (task.killRequested) {
        for (ProcessHandle h : task.seen) {
          h.destroyForcibly();
        }
      }
    }
  }

  /**
   * How a task's end reads as the command executor reports it: {@code exitValue} null when it
   * never started ({@code startError} says why); a killed task is KILLED however it ended.
   */
  static Ending ending(boolean killRequested, Integer exitValue, String startError) {
    if (exitValue == null) {
      return killRequested
          ? new Ending(TaskState.KILLED, startError, null)
          // As Mesos: a task whose uris could not be fetched never ran, so it has no exit code.
          : new Ending(TaskState.FAILED, startError, startError != null
              && (startError.startsWith(UriFetcher.FAILED) || startError.startsWith(OutputCollector.MISSING)) ? null : 127);
    }
    if (killRequested) {
      return new Ending(TaskState.KILLED, exitMessage(exitValue), exitValue);
    }
    if (exitValue == 0) {
      return new Ending(TaskState.FINISHED, "Command exited with status 0", 0);
    }
    return new Ending(TaskState.FAILED, exitMessage(exitValue), exitValue);
  }

  /** Java reports death by signal N as exit value 128 + N. */
  private static String exitMessage(int exitValue) {
    if (exitValue > 128 && exitValue < 128 + 65) {
      return "Command terminated with signal " + Signals.name(exitValue - 128);
    }
    return "Command exited with status " + exitValue;
  }

  /** Stops the signal thread after the signals queued, waiting up to {@code millis}; a fetch under way is interrupted. */
  void stopSignalling(long millis) {
    fetcherThread.shutdownNow();
    signaller.shutdown();
    LocalLoop.awaitQuietly(signaller, millis);
  }

  /** Stops the signal thread now. */
  void stopSignallingNow() {
    fetcherThread.shutdownNow();
    signaller.shutdownNow();
  }

  /** Stops the output thread (it drains its files first). */
  void stopTailer() {
    if (tailerThread.isAlive()) {
      tailer.stop();
      try {
        tailerThread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Stops the process starter; its processes must be gone. */
  void closeStarter() {
    if (starter != null) {
      starter.close();
    }
  }
}
