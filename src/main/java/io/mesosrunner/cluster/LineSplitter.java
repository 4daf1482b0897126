package io.mesosrunner.cluster;

import java.util.Arrays;

/**
 * Cuts one output stream of a task, fed in chunks as it is read, into lines of bytes for
 * {@link ClusterListener#onOutput}. Both clusters' output tailers use it, each with its own limit.
 *
 * <p>A line ends at {@code \n}, which is not part of it; a {@code \r} right before the {@code \n}
 * is dropped too (a {@code \r\n} line end). The bytes are passed on as they came, whatever their
 * encoding. An unfinished line that grows past {@code maxLineBytes} after a chunk is passed on as
 * it stands (so one endless line cannot exhaust memory), and {@link #flush} passes on the last
 * unfinished line when the stream has ended, a trailing {@code \r} dropped as from a line end.
 *
 * <p>Not thread-safe: one splitter per stream, fed by one thread at a time.
 */
public final class LineSplitter {

  /** Receives each line, without its line end. The array is the sink's to keep. */
  @FunctionalInterface
  public interface Sink {
    void line(byte[] line);
  }

  private final int maxLineBytes;
  private final Sink sink;
  private byte[] partial = new byte[256];
  private int size;

  /**
   * @param maxLineBytes an unfinished line longer than this after a chunk is passed on, &gt; 0
   * @param sink         where lines go
   */
  public LineSplitter(int maxLineBytes, Sink sink) {
    if (maxLineBytes <= 0) {
      throw new IllegalArgumentException("maxLineBytes (" + maxLineBytes + ") must be > 0");
    }
    this.maxLineBytes = maxLineBytes;
    this.sink = sink;
  }

  /** Feeds {@code length} bytes of {@code bytes} from {@code offset}: the next chunk of the stream. */
  public void feed(byte[] bytes, int offset, int length) {
    int start = offset;
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      if (bytes[i] == '\n') {
        if (size == 0) {
          // The common case, a whole line inside one chunk: one copy.
          int to = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
          sink.line(Arrays.copyOfRange(bytes, start, to));
        } else {
          append(bytes, start, i - start);
          emitPartial();
        }
        start = i + 1;
      }
    }
    append(bytes, start, end - start);
    if (size > maxLineBytes) {
      byte[] line = Arrays.copyOf(partial, size);
      size = 0;
      partial = new byte[256];
      sink.line(line);
    }
  }

  /** Passes on the unfinished last line, if any: the stream has ended. */
  public void flush() {
    if (size > 0) {
      emitPartial();
    }
  }

  /** How many bytes of an unfinished line are held. */
  public int pending() {
    return size;
  }

  private void emitPartial() {
    int to = size > 0 && partial[size - 1] == '\r' ? size - 1 : size;
    byte[] line = Arrays.copyOf(partial, to);
    size = 0;
    sink.line(line);
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
  }
}
