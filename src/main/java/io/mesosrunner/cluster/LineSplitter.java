package io.mesosrunner.cluster;

import java.util.Arrays;

/**
 * Cuts one output stream of a task, fed in chunks as it is read, into lines of bytes for
 * {@link ClusterListener#onOutput}. Both clusters' output tailers use it.
 *
 * <p>A line ends at {@code \n}; the line end ({@code \n}, or {@code \r\n}) is not part of the
 * line's bytes but is named by its {@link LineEnd}, so the pieces with their ends are exactly the
 * bytes of the stream, whatever their encoding. A line longer than {@code maxLineBytes} is passed
 * on in pieces of {@code maxLineBytes} (up to three bytes fewer, so that a UTF-8 letter is not cut
 * in two, and one fewer rather than cut between {@code \r} and {@code \n}), each but the last with
 * {@link LineEnd#NONE}: one endless line cannot exhaust memory, and where it is cut does not depend
 * on how the stream was read. {@link #flush} passes on the last unfinished line, with
 * {@link LineEnd#NONE}, when the stream has ended.
 *
 * <p>Not thread-safe: one splitter per stream, fed by one thread at a time.
 */
public final class LineSplitter {

  /** The length of the pieces a longer line is passed on in: 64 KiB. */
  public static final int MAX_LINE_BYTES = 64 * 1024;

  /** Receives each line's bytes and how it ended. The array is the sink's to keep. */
  @FunctionalInterface
  public interface Sink {
    void line(byte[] line, LineEnd end);
  }

  private final int maxLineBytes;
  private final Sink sink;
  private byte[] partial = new byte[256];
  private int size;

  /**
   * @param maxLineBytes the length of the pieces a longer line is cut into, &gt; 3
   * @param sink         where lines go
   */
  public LineSplitter(int maxLineBytes, Sink sink) {
    if (maxLineBytes <= 3) {
      throw new IllegalArgumentException("maxLineBytes (" + maxLineBytes + ") must be > 3");
    }
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  /** A splitter with the usual {@link #MAX_LINE_BYTES}. */
  public LineSplitter(Sink sink) {
    this(MAX_LINE_BYTES, sink);
  }

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}: the next chunk of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        if (size == 0 && i - start <= maxLineBytes) {
          // The common case, a whole line inside one chunk: one copy.
          boolean crlf = i > start && bytes[i - 1] == '\r';
          sink.line(Arrays.copyOfRange(bytes, start, crlf ? i - 1 : i), crlf ? LineEnd.CRLF : LineEnd.LF);
        } else {
          append(bytes, start, i - start);
          boolean crlf = size > 0 && partial[size - 1] == '\r';
          int to = crlf ? size - 1 : size;
          cutPieces(to, 0);
          byte[] line = Arrays.copyOf(partial, crlf ? size - 1 : size);
          size = 0;
          sink.line(line, crlf ? LineEnd.CRLF : LineEnd.LF);
        }
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
  }

  /** Passes on the unfinished last line, if any: the stream has ended. */
  public void flush() {
    cutPieces(size, 0);
    if (size > 0) {
      byte[] line = Arrays.copyOf(partial, size);
      size = 0;
      sink.line(line, LineEnd.NONE);
    }
  }

  /** How many bytes of an unfinished line are held. */
  public int pending() {
    return size;
  }

  /**
   * Passes on pieces from the front of the first {@code held} bytes kept while more than the limit
   * plus {@code spare} of them is left, and keeps the rest.
   */
  private void cutPieces(int held, int spare) {
    int from = 0;
    while (held - from > maxLineBytes + spare) {
      int cut = from + pieceLength(from);
      sink.line(Arrays.copyOfRange(partial, from, cut), LineEnd.NONE);
      from = cut;
    }
    if (from > 0) {
      System.arraycopy(partial, from, partial, 0, size - from);
      size -= from;
    }
  }

  /** The limit, or up to three bytes less so that the piece from {@code from} ends before a UTF-8 letter. */
  private int pieceLength(int from) {
    int n = maxLineBytes;
    // A continuation byte (10xxxxxx) at the cut: step back to the letter's first byte.
    while (n > maxLineBytes - 3 && (partial[from + n] & 0xC0) == 0x80) n--;
    return (partial[from + n] & 0xC0) == 0x80 ? maxLineBytes : n;
  }

  private void append(byte[] bytes, int from, int length) {
    if (length == 0) {
      return;
    }
    if (size + length > partial.length) {
      partial = Arrays.copyOf(partial, Math.max(partial.length * 2, size + length));
    }
    System.arraycopy(bytes, from, partial, size, length);
    size += length;
    // An unfinished line goes out in pieces as it grows; a byte more than a piece is kept, so that a
    // "\r" whose "\n" is still to come stays with it.
    cutPieces(size, 1);
  }
}
