package io.mesosrunner.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Reads a run journal as it grows, from outside the runner that writes it: each {@link #poll}
 * reads only the bytes appended since the last one and hands on the records of the batches that
 * are complete (a batch still being written, or torn, is left for the next poll). So following a
 * run costs what the run writes, not the journal's size on every change ({@code status --watch},
 * {@code wait}), and the records are handed on one at a time, never kept as a list.
 *
 * <p>When the file at the path is no longer the file being read (a new run renamed it to
 * {@value RunJournal#PREVIOUS_FILE_NAME} and started its own, or the state directory was deleted),
 * {@link #poll} says so and starts again from the new file's beginning on the next call.
 *
 * <p>Read-only, never changes the file. Not thread-safe: one thread polls.
 */
public final class JournalTail implements Closeable {

  private static final int COMMIT_BIT = 0x8000_0000;
  private static final int CHUNK = 1 << 18;

  /** What a poll found. */
  public enum Poll {
    /** Nothing new. */
    UNCHANGED,
    /** New records were handed on. */
    GREW,
    /** The path holds another file than the one read so far (or none): start again. */
    REPLACED,
    /** There is no journal at the path. */
    MISSING
  }

  private final Path file;
  private FileChannel channel;
  private Object fileKey;
  private long offset;
  private long lastSize = -1;
  private ByteBuffer buf = ByteBuffer.allocate(CHUNK);
  private final List<JournalRecord> batch = new ArrayList<>();
  private final CRC32C crc = new CRC32C();

  /** A tail of the journal {@code file}; nothing is read before the first {@link #poll}. */
  public JournalTail(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  /** The journal of the job whose state directory is {@code jobDir}. */
  public static JournalTail of(Path jobDir) {
    return new JournalTail(jobDir.resolve(RunJournal.FILE_NAME));
  }

  /** The file followed. */
  public Path file() {
    return file;
  }

  /** Bytes consumed so far (the end of the last complete batch). */
  public long offset() {
    return offset;
  }

  /**
   * Hands the records committed since the last poll to {@code sink}, oldest first.
   *
   * @return what was found; after {@link Poll#REPLACED} nothing was handed on, and the next poll
   *     reads the new file from its start
   * @throws JournalCorruptException when the file does not start as a journal
   */
  public Poll poll(Consumer<? super JournalRecord> sink) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      if (channel != null) {
        reset();
        return Poll.REPLACED;
      }
      return Poll.MISSING;
    }
    if (channel != null && (!Objects.equals(attrs.fileKey(), fileKey) || attrs.size() < offset)) {
      reset();
      return Poll.REPLACED;
    }
    if (channel == null) {
      try {
        channel = FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        return Poll.MISSING;
      }
      fileKey = attrs.fileKey();
      offset = 0;
    }
    long size = channel.size();
    if (size == lastSize) return Poll.UNCHANGED;
    lastSize = size;
    if (offset == 0) {
      if (size < RunJournal.HEADER_BYTES) return Poll.UNCHANGED; // being created
      checkHeader();
      offset = RunJournal.HEADER_BYTES;
    }
    return readFrames(size, sink) ? Poll.GREW : Poll.UNCHANGED;
  }

  private boolean readFrames(long size, Consumer<? super JournalRecord> sink) throws IOException {
    boolean any = false;
    long at = offset;
    batch.clear();
    while (at + RunJournal.FRAME_HEADER_BYTES <= size) {
      int word = readInt(at, size);
      int len = word & ~COMMIT_BIT;
      if (len < 1 || len > RunJournal.MAX_PAYLOAD || at + RunJournal.FRAME_HEADER_BYTES + len > size) break;
      int frame = RunJournal.FRAME_HEADER_BYTES + len;
      if (!load(at, frame, size)) break;
      int p = buf.position();
      crc.reset();
      crc.update(buf.array(), p, 4);
      crc.update(buf.array(), p + RunJournal.FRAME_HEADER_BYTES, len);
      if ((int) crc.getValue() != buf.getInt(p + 4)) break; // still being written, or a torn tail
      batch.add(JournalJson.read(file, at, buf.array(), p + RunJournal.FRAME_HEADER_BYTES, len));
      at += frame;
      if (word < 0) {
        for (JournalRecord r : batch) sink.accept(r);
        any |= !batch.isEmpty();
        batch.clear();
        offset = at;
      }
    }
    batch.clear();
    return any;
  }

  /* The window: bytes [windowStart, windowStart + buf.limit()) of the file. */
  private long windowStart = -1;

  /** Makes bytes [at, at + n) readable at buf.position(); false when the file has fewer. */
  private boolean load(long at, int n, long size) throws IOException {
    if (windowStart < 0 || at < windowStart || at + n > windowStart + buf.limit()) {
      if (n > buf.capacity()) buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), size - at));
      long pos = at;
      while (buf.hasRemaining()) {
        int r = channel.read(buf, pos);
        if (r < 0) break;
        pos += r;
      }
      buf.limit(buf.position());
      windowStart = at;
      if (buf.limit() < n) {
        windowStart = -1;
        return false;
      }
    }
    buf.position((int) (at - windowStart));
    return true;
  }

  private int readInt(long at, long size) throws IOException {
    if (!load(at, 4, size)) return 0;
    return buf.getInt(buf.position());
  }

  private void checkHeader() throws IOException {
    ByteBuffer h = ByteBuffer.allocate(RunJournal.HEADER_BYTES);
    while (h.hasRemaining() && channel.read(h, h.position()) >= 0) { }
    for (int i = 0; i < RunJournal.MAGIC.length; i++) {
      if (h.get(i) != RunJournal.MAGIC[i]) {
        throw new JournalCorruptException(file, 0, "not a run journal: it does not start with \"MRJL\"", null);
      }
    }
    int version = h.getInt(4);
    if (version > RunJournal.FORMAT_VERSION) {
      throw new JournalVersionException(file, 4, "journal format version " + version
          + " was written by a newer runner; this one reads version " + RunJournal.FORMAT_VERSION, null);
    }
  }

  private void reset() throws IOException {
    close();
    channel = null;
    fileKey = null;
    offset = 0;
    lastSize = -1;
    windowStart = -1;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) channel.close();
  }
}
