package io.mesosrunner.cluster.local;

import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.cluster.TaskSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the {@code stdout} and {@code stderr} files in the local sandboxes (the Mesos adapter's
 * counterpart reads them from the agents: {@code cluster.mesos.AgentFileTailer}). One thread
 * follows the files of every running task: it polls all of
 * them every {@link #POLL_MILLIS} ms and hands complete lines to a sink; when a task ends, a
 * final drain delivers the rest (a last line without a newline too) and then runs a callback,
 * so that output always comes before the task's terminal update.
 *
 * <p>Threading: {@link #watch}, {@link #finish} and {@link #stop} may be called from any thread;
 * everything else runs on the tailer's own thread.
 */
final class SandboxFileTailer implements Runnable {

  /** Receives lines; called on the tailer thread. */
  interface Sink {
    void line(TaskSpec task, OutputStreamKind kind, byte[] line, LineEnd end);
  }

  static final long POLL_MILLIS = 50;

  private static final Logger LOG = LoggerFactory.getLogger(SandboxFileTailer.class);

  private final Sink sink;
  private final Runnable periodic;
  private final BlockingQueue<Runnable> commands = new LinkedBlockingQueue<>();
  private final Map<String, Tailed> open = new HashMap<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
  private volatile boolean stopped;

  /**
   * @param sink     where lines go
   * @param periodic run on the tailer thread after each poll of all files
   */
  SandboxFileTailer(Sink sink, Runnable periodic) {
    this.sink = sink;
    this.periodic = periodic;
  }

  /** Starts following a task's files (they need not exist yet). */
  void watch(String key, TaskSpec task, Path stdout, Path stderr) {
    commands.add(() -> open.computeIfAbsent(key, k -> new Tailed(task, stdout, stderr)));
  }

  /** Delivers whatever is left of a task's files, stops following them, then runs {@code then}. */
  void finish(String key, TaskSpec task, Path stdout, Path stderr, Runnable then) {
    commands.add(() -> {
      Tailed t = open.remove(key);
      if (t == null) {
        t = new Tailed(task, stdout, stderr);
      }
      t.drain(true);
      t.close();
      then.run();
    });
  }

  /** Ends the thread after the commands already queued; files still open are drained. */
  void stop() {
    commands.add(() -> stopped = true);
  }

  @Override
  public void run() {
    long nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
    while (!stopped) {
      try {
        long wait = nextPoll - System.nanoTime();
        Runnable command = wait > 0 ? commands.poll(wait, TimeUnit.NANOSECONDS) : commands.poll();
        if (command != null) {
          runSafely(command);
          continue;
        }
        for (Tailed t : open.values()) {
          t.drain(false);
        }
        runSafely(periodic);
        nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
      } catch (InterruptedException e) {
        stopped = true;
      }
    }
    for (Tailed t : open.values()) {
      t.drain(true);
      t.close();
    }
    open.clear();
    runSafely(periodic);
  }

  private static void runSafely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("local cluster output thread: {}", e.toString(), e);
    }
  }

  /** The two files of one task. */
  private final class Tailed {
    private final TaskSpec task;
    private final Followed out;
    private final Followed err;

    Tailed(TaskSpec task, Path stdout, Path stderr) {
      this.task = task;
      this.out = new Followed(stdout, OutputStreamKind.STDOUT);
      this.err = new Followed(stderr, OutputStreamKind.STDERR);
    }

    void drain(boolean last) {
      out.drain(task, last);
      err.drain(task, last);
    }

    void close() {
      out.close();
      err.close();
    }
  }

  /** One file, read from where the last read stopped, with the unfinished line kept aside. */
  private final class Followed {
    private final Path path;
    private final OutputStreamKind kind;
    private final LineSplitter lines;
    private TaskSpec task;
    private FileChannel channel;
    private long position;
    private boolean missing;

    Followed(Path path, OutputStreamKind kind) {
      this.path = path;
      this.kind = kind;
      this.lines = new LineSplitter(this::emit);
    }

    void drain(TaskSpec task, boolean last) {
      this.task = task;
      if (channel == null && !missing) {
        try {
          channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
          missing = last;
        } catch (IOException e) {
          LOG.warn("cannot read {}: {}", path, e.toString());
          missing = true;
        }
      }
      if (channel != null) {
        try {
          int n;
          while ((n = channel.read(buffer.clear(), position)) > 0) {
            position += n;
            lines.feed(buffer.array(), 0, n);
          }
        } catch (IOException e) {
          LOG.warn("cannot read {}: {}", path, e.toString());
        }
      }
      if (last) {
        lines.flush();
      }
    }

    private void emit(byte[] line, LineEnd end) {
      try {
        sink.line(task, kind, line, end);
      } catch (RuntimeException e) {
        LOG.error("output listener failed on a line of {}: {}", task.taskId(), e.toString(), e);
      }
    }

    void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          LOG.debug("closing {}: {}", path, e.toString());
        }
        channel = null;
      }
    }
  }
}
