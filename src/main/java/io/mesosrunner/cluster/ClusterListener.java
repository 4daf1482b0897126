package io.mesosrunner.cluster;


/** Receives what a cluster adapter produces. Implementations are thread-safe and never block. */
public interface ClusterListener {

  /** A scheduler event (subscribed, offers, updates, ...). */
  void onEvent(Event event);

  /**
   * One line a task wrote to its stdout or stderr, without its line end ({@code \n} or
   * {@code \r\n}, named by {@code end}): the bytes as the task wrote them, in whatever encoding
   * (not necessarily valid UTF-8), and a line longer than {@link LineSplitter#MAX_LINE_BYTES} in
   * pieces that end with {@link LineEnd#NONE} (see {@link LineSplitter}). The line and its end are
   * exactly the bytes the task wrote. The array is the listener's to keep; print it as bytes.
   */
  void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end);

  /** A listener that puts every event into {@code queue} and ignores task output. */
  static ClusterListener eventsInto(java.util.Queue<Event> queue) {
    return new ClusterListener() {
      @Override
      public void onEvent(Event event) {
        queue.add(event);
      }

      @Override
      public void onOutput(TaskSpec task, OutputStreamKind stream, byte[] line, LineEnd end) {}
    };
  }

  /** Which of a task's output files a line came from. */
  enum OutputStreamKind { STDOUT, STDERR }
}
