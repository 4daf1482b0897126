package io.mesosrunner.cluster.mesos;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Decodes RecordIO records ({@code <decimal length>\n<length bytes>}) from bytes as they arrive,
 * however they are split: {@link #feed} the bytes of each chunk, then take the records they
 * complete with {@link #next}; {@link #end} says whether the stream may end here. Not
 * thread-safe: the subscription thread owns it.
 */
final class RecordIoDecoder {

  /** Records larger than this are refused by default (64 MiB); a master never sends such. */
  static final int DEFAULT_MAX_RECORD = 64 << 20;

  private static final int MAX_DIGITS = 19;

  private final int maxRecord;
  private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
  private long length;
  private int digits;
  /** The record being filled once its length line is read; null while reading a length line. */
  private byte[] record;
  private int filled;

  RecordIoDecoder() {
    this(DEFAULT_MAX_RECORD);
  }

  RecordIoDecoder(int maxRecord) {
    if (maxRecord < 1) {
      throw new IllegalArgumentException("maxRecord (" + maxRecord + ") must be >= 1");
    }
    this.maxRecord = maxRecord;
  }

  /** Adds bytes received; the buffer is read later, by {@link #next}, and not copied. */
  void feed(ByteBuffer bytes) {
    if (bytes.hasRemaining()) {
      pending.add(bytes);
    }
  }

  /**
   * The next complete record, or null when the bytes fed so far complete none.
   *
   * @throws IOException on a malformed length line or a length above the limit
   */
  byte[] next() throws IOException {
    while (true) {
      if (record != null && filled == record.length) {
        byte[] done = record;
        record = null;
        return done;
      }
      ByteBuffer b = pending.peek();
      if (b == null) {
        return null;
      }
      if (!b.hasRemaining()) {
        pending.poll();
      } else if (record == null) {
        lengthByte(b.get());
      } else {
        int n = Math.min(b.remaining(), record.length - filled);
        b.get(record, filled, n);
        filled += n;
      }
    }
  }

  private void lengthByte(byte b) throws IOException {
    if (b == '\n') {
      if (digits == 0) {
        throw new IOException("RecordIO length line is empty");
      }
      if (length > maxRecord) {
        throw new IOException("RecordIO record length " + length + " exceeds the limit of " + maxRecord + " bytes");
      }
      record = new byte[(int) length];
      filled = 0;
      length = 0;
      digits = 0;
      return;
    }
    if (b < '0' || b > '9') {
      throw new IOException("RecordIO length line has a non-digit byte 0x" + Integer.toHexString(b & 0xff));
    }
    if (++digits > MAX_DIGITS) {
      throw new IOException("RecordIO length line is longer than " + MAX_DIGITS + " digits");
    }
    length = length * 10 + (b - '0');
  }

  /**
   * The stream ended; call after {@link #next} returned null.
   *
   * @throws EOFException when it ended inside a record or its length line
   */
  void end() throws EOFException {
    if (record != null) {
      throw new EOFException("stream ended inside a RecordIO record: got " + filled + " of " + record.length + " bytes");
    }
    if (digits > 0) {
      throw new EOFException("stream ended inside a RecordIO length line after " + digits + " digits");
    }
  }
}
