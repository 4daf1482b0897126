package io.mesosrunner.cluster.mesos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads RecordIO records ({@code <decimal length>\n<length bytes>}) from a stream, however the
 * bytes are split across reads. Not thread-safe: one reader thread owns it.
 */
final class RecordIoReader {

  /** Records larger than this are refused by default (64 MiB); a master never sends such. */
  static final int DEFAULT_MAX_RECORD = 64 << 20;

  private static final int MAX_DIGITS = 19;

  private final InputStream in;
  private final int maxRecord;

  RecordIoReader(InputStream in) {
    this(in, DEFAULT_MAX_RECORD);
  }

  RecordIoReader(InputStream in, int maxRecord) {
    this.in = Objects.requireNonNull(in, "in");
    if (maxRecord < 1) {
      throw new IllegalArgumentException("maxRecord (" + maxRecord + ") must be >= 1");
    }
    this.maxRecord = maxRecord;
  }

  /**
   * The next record, or null when the stream ends cleanly at a record boundary.
   *
   * @throws EOFException when the stream ends inside a record or its length line
   * @throws IOException  on a malformed length line, a length above the limit, or a read error
   */
  byte[] next() throws IOException {
    long length = 0;
    int digits = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (digits == 0) {
          return null;
        }
        throw new EOFException("stream ended inside a RecordIO length line after " + digits + " digits");
      }
      if (b == '\n') {
        if (digits == 0) {
          throw new IOException("RecordIO length line is empty");
        }
        break;
      }
      if (b < '0' || b > '9') {
        throw new IOException("RecordIO length line has a non-digit byte 0x" + Integer.toHexString(b));
      }
      if (++digits > MAX_DIGITS) {
        throw new IOException("RecordIO length line is longer than " + MAX_DIGITS + " digits");
      }
      length = length * 10 + (b - '0');
    }
    if (length > maxRecord) {
      throw new IOException("RecordIO record length " + length + " exceeds the limit of " + maxRecord + " bytes");
    }
    byte[] record = in.readNBytes((int) length);
    if (record.length < length) {
      throw new EOFException("stream ended inside a RecordIO record: got " + record.length + " of " + length + " bytes");
    }
    return record;
  }
}
