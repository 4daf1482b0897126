package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.LineEnd;
import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.cluster.TaskSpec;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * The output of one task the {@link AgentFileTailer} tracks: how far each of its two files has
 * been read, the line splitters holding an unfinished last line, when its terminal update came,
 * and the {@link Read} in progress. The command executor's own glog lines are dropped from
 * stderr here.
 *
 * <p>Threading: the tailer's owner thread only, like everything the tailer keeps. Lines reach the
 * listener on that thread.
 */
final class TaskOutput {

  /** Full pages one read asks for per file before leaving the rest to the next read. */
  static final int MAX_PAGES_PER_READ = 16;

  /** The prefix glog puts on every line: {@code I1125 15:06:40.403369 30065 exec.cpp:164] }. */
  static final Pattern GLOG_LINE = Pattern.compile("^[IWEF]\\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d+ +\\d+ \\S+:\\d+\\] ");

  final TaskSpec task;
  final URI agentBase;
  final String frameworkId;
  final SandboxFile stdout;
  final SandboxFile stderr;
  /** The clock's millis when the terminal update came; negative before. */
  long terminalAt = -1;
  /** Both files were read to the end by a poll that began after the terminal update. */
  boolean complete;
  /** The read in progress, or null: one at a time, so no two reads ask for the same bytes. */
  Read read;

  TaskOutput(TaskSpec task, URI agentBase, String frameworkId, ClusterListener listener) {
    this.task = task;
    this.agentBase = agentBase;
    this.frameworkId = frameworkId;
    this.stdout = new SandboxFile("stdout", OutputStreamKind.STDOUT, listener);
    this.stderr = new SandboxFile("stderr", OutputStreamKind.STDERR, listener);
  }

  String taskId() {
    return task.taskId();
  }

  /** Passes on both files' unfinished last lines: nothing more will be read. */
  void flush() {
    stdout.lines.flush();
    stderr.lines.flush();
  }

  /** One of the task's two sandbox files. */
  final class SandboxFile {
    final String name;
    final OutputStreamKind kind;
    final LineSplitter lines;
    private final ClusterListener listener;
    /** How many bytes have been read and fed. */
    long offset;

    SandboxFile(String name, OutputStreamKind kind, ClusterListener listener) {
      this.name = name;
      this.kind = kind;
      this.listener = listener;
      this.lines = new LineSplitter(this::emit);
    }

    void feed(byte[] data) {
      offset += data.length;
      lines.feed(data, 0, data.length);
    }

    private void emit(byte[] line, LineEnd end) {
      if (kind == OutputStreamKind.STDERR && isGlogLine(line)) {
        return;
      }
      listener.onOutput(task, kind, line, end);
    }
  }

  /** Whether a line of stderr is one of the command executor's own glog lines. */
  static boolean isGlogLine(byte[] line) {
    // The prefix is ASCII: decoding only its first bytes as Latin-1 keeps offsets and costs little.
    int n = Math.min(line.length, 64);
    return GLOG_LINE.matcher(new String(line, 0, n, StandardCharsets.ISO_8859_1)).find();
  }

  /** Who started a read: a poll round, or the final drain. */
  enum Purpose { POLL, DRAIN }

  /**
   * One read of both files, stdout then stderr, each from where the last read stopped, page by
   * page (one request at a time) until a page shorter than {@link FilesRead#PAGE} (the end of the
   * file as the agent has it), a failed request, or {@link #MAX_PAGES_PER_READ} full pages.
   */
  final class Read {
    final Purpose purpose;
    /** For a poll: whether the task had ended when the read began. */
    final boolean ended;
    /** For a poll: whether this is the task's last read (its linger time is over). */
    final boolean last;
    private SandboxFile file = stdout;
    private int pages;
    private boolean outToEnd;
    private boolean errToEnd;
    /** The request in flight, kept to cancel it. */
    CompletableFuture<HttpResponse<byte[]>> inFlight;
    /** Set when the read is given up: an answer still coming is dropped. */
    boolean abandoned;

    Read(Purpose purpose, boolean ended, boolean last) {
      this.purpose = purpose;
      this.ended = ended;
      this.last = last;
    }

    TaskOutput output() {
      return TaskOutput.this;
    }

    /** The file the next request is for; null once both are read. */
    SandboxFile file() {
      return file;
    }

    /** Feeds an answer to the current file's lines; true when there is another page to ask for. */
    boolean apply(FilesRead.Page page) {
      if (!page.ok()) {
        fileDone(false);
      } else {
        file.feed(page.data());
        if (page.data().length < FilesRead.PAGE) {
          fileDone(true);
        } else if (++pages >= MAX_PAGES_PER_READ) {
          fileDone(false);
        }
      }
      return file != null;
    }

    private void fileDone(boolean toEnd) {
      if (file == stdout) {
        outToEnd = toEnd;
        file = stderr;
        pages = 0;
      } else {
        errToEnd = toEnd;
        file = null;
      }
    }

    /** Both files were read to the end. */
    boolean toEnd() {
      return outToEnd && errToEnd;
    }

    /** Gives the read up: the request in flight is cancelled and its answer will be dropped. */
    void abandon() {
      abandoned = true;
      if (inFlight != null) {
        inFlight.cancel(true);
      }
    }
  }
}
