package io.mesosrunner.cluster;

/**
 * How a piece of task output handed to {@link ClusterListener#onOutput} ended, so that a printer
 * can give back the task's bytes exactly: the piece's bytes followed by {@link #bytes()} are what
 * the task wrote.
 */
public enum LineEnd {
  /** {@code \n}. */
  LF(new byte[] {'\n'}),
  /** {@code \r\n}. */
  CRLF(new byte[] {'\r', '\n'}),
  /**
   * None: the line was longer than {@link LineSplitter#MAX_LINE_BYTES} and goes on in the next
   * piece, or the stream ended without a line end.
   */
  NONE(new byte[0]);

  private final byte[] bytes;

  LineEnd(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The line end's bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Whether this ends a line: a printer that tags lines starts the next piece on a new line. */
  public boolean endsLine() {
    return this != NONE;
  }
}
