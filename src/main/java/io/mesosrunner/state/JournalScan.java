package io.mesosrunner.state;

import static io.mesosrunner.state.RunJournal.COMMIT_BIT;
import static io.mesosrunner.state.RunJournal.FORMAT_VERSION;
import static io.mesosrunner.state.RunJournal.FRAME_HEADER_BYTES;
import static io.mesosrunner.state.RunJournal.HEADER_BYTES;
import static io.mesosrunner.state.RunJournal.MAGIC;
import static io.mesosrunner.state.RunJournal.MAX_PAYLOAD;

import io.mesosrunner.state.RunJournal.Contents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The reading side of the journal (the format is in {@link RunJournal}'s comment): checks the
 * header, reads the frames, folds them into the records of committed batches, and says what it
 * found past them. It only reads; {@link RunJournal#open} truncates what it reports as a torn
 * tail, {@link RunJournal#read} leaves the file alone.
 *
 * <p>Batches are all or nothing: records after the last commit mark are dropped. A bad frame
 * (impossible length, length past the end of the file, checksum mismatch) is a torn tail when no
 * valid commit frame follows it anywhere in the file; the {@link RecoveryReport} says where and
 * why. A bad frame followed by a valid committed frame is damage in the middle: a batch after it
 * was forced later, so the bad bytes once held forced data; that is a
 * {@link JournalCorruptException}, never a silent loss. (A process crash can only leave a prefix
 * of the last write, i.e. a tail; a hole followed by valid data needs a machine crash during the
 * final unforced batch or media damage, which this format cannot tell apart, so it refuses.)
 * Unknown format versions, record types or fields are a {@link JournalVersionException}.
 */
final class JournalScan {

  private static final int READ_BUFFER = 1 << 18;

  private JournalScan() {
  }

  /**
   * Reads every frame of the journal open on {@code ch} (buffered, one pass) and returns the
   * records of its committed batches, with what was found past them. Changes nothing.
   *
   * @param created whether the file was just created (reported, not checked)
   */
  static Contents scan(Path file, FileChannel ch, boolean created) throws IOException {
    long fileSize = ch.size();
    Window w = new Window(ch, fileSize);
    checkHeader(file, w, fileSize);

    List<JournalRecord> committed = new ArrayList<>();
    List<JournalRecord> pending = new ArrayList<>();
    long committedEnd = HEADER_BYTES;
    long batchStart = HEADER_BYTES;
    long off = HEADER_BYTES;
    String bad = null;
    CRC32C crc = new CRC32C();
    while (off < fileSize) {
      long left = fileSize - off;
      if (left < FRAME_HEADER_BYTES) {
        bad = "torn tail at offset " + off + " (frame header needs " + FRAME_HEADER_BYTES + " bytes, only " + left + ")";
        break;
      }
      w.load(off, FRAME_HEADER_BYTES);
      int word = w.intAt(off);
      int storedCrc = w.intAt(off + 4);
      int len = word & ~COMMIT_BIT;
      if (len < 1 || len > MAX_PAYLOAD) {
        bad = "invalid record length " + len + " at offset " + off;
        break;
      }
      if (left - FRAME_HEADER_BYTES < len) {
        bad = "torn tail at offset " + off + " (record length " + len + ", only "
            + (left - FRAME_HEADER_BYTES) + " bytes)";
        break;
      }
      w.load(off, FRAME_HEADER_BYTES + len);
      crc.reset();
      w.updateCrc(crc, off, 4);
      w.updateCrc(crc, off + FRAME_HEADER_BYTES, len);
      if ((int) crc.getValue() != storedCrc) {
        bad = "checksum mismatch at offset " + off;
        break;
      }
      pending.add(w.parse(file, off, len));
      off += FRAME_HEADER_BYTES + len;
      if (word < 0) {
        committed.addAll(pending);
        pending.clear();
        committedEnd = off;
        batchStart = off;
      }
    }
    if (bad != null) {
      long follower = findCommittedFrame(ch, off + 1, fileSize);
      if (follower >= 0) {
        throw new JournalCorruptException(file, off, bad.replace("torn tail", "bad record")
            + ", but a valid record follows at offset " + follower
            + ": the journal is damaged in the middle, not torn at its end. Move it aside to start the job afresh.", null);
      }
    } else if (!pending.isEmpty()) {
      bad = "unfinished batch at offset " + batchStart + " (" + pending.size() + " record"
          + (pending.size() == 1 ? "" : "s") + " without a commit mark)";
    }
    long discarded = fileSize - committedEnd;
    RecoveryReport report = new RecoveryReport(committed.size(), committedEnd, discarded,
        discarded > 0 ? bad : null, created);
    return new Contents(committed, report);
  }

  private static void checkHeader(Path file, Window w, long fileSize) throws IOException {
    if (fileSize < HEADER_BYTES) {
      throw new JournalCorruptException(file, 0, "not a run journal: " + fileSize
          + " bytes, shorter than its " + HEADER_BYTES + "-byte header", null);
    }
    w.load(0, HEADER_BYTES);
    for (int i = 0; i < MAGIC.length; i++) {
      if (w.byteAt(i) != MAGIC[i]) {
        throw new JournalCorruptException(file, 0, "not a run journal: it does not start with \"MRJL\"", null);
      }
    }
    int version = w.intAt(4);
    if (version > FORMAT_VERSION) {
      throw new JournalVersionException(file, 4, "journal format version " + version
          + " was written by a newer runner; this one reads version " + FORMAT_VERSION, null);
    }
    if (version < 1) {
      throw new JournalCorruptException(file, 4, "not a run journal: format version " + version, null);
    }
  }

  /**
   * The offset of the first frame at or after {@code from} that is valid and carries a commit mark,
   * or -1. Only runs when a bad frame was found; cheap tests (length range, fits in the file, JSON
   * object start) skip most offsets before a checksum is computed.
   */
  private static long findCommittedFrame(FileChannel ch, long from, long fileSize) throws IOException {
    if (from + FRAME_HEADER_BYTES >= fileSize) return -1;
    long regionSize = fileSize - from;
    if (regionSize > Integer.MAX_VALUE) {
      throw new IOException("journal tail of " + regionSize + " bytes is too large to scan");
    }
    ByteBuffer region = ch.map(FileChannel.MapMode.READ_ONLY, from, regionSize);
    int n = (int) regionSize;
    CRC32C crc = new CRC32C();
    for (int p = 0; p + FRAME_HEADER_BYTES < n; p++) {
      int word = region.getInt(p);
      if (word >= 0) continue;
      int len = word & ~COMMIT_BIT;
      if (len < 2 || len > MAX_PAYLOAD || (long) p + FRAME_HEADER_BYTES + len > n) continue;
      if (region.get(p + FRAME_HEADER_BYTES) != '{') continue;
      crc.reset();
      crc.update(region.slice(p, 4));
      crc.update(region.slice(p + FRAME_HEADER_BYTES, len));
      if ((int) crc.getValue() == region.getInt(p + 4)) return from + p;
    }
    return -1;
  }

  /** A buffered window over the file for the single recovery pass. */
  private static final class Window {
    private final FileChannel ch;
    private final long fileSize;
    private ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER);
    private long start = 0;

    Window(FileChannel ch, long fileSize) {
      this.ch = ch;
      this.fileSize = fileSize;
      buf.limit(0);
    }

    /** Makes bytes [at, at + n) available; the caller has checked they are within the file. */
    void load(long at, int n) throws IOException {
      if (at >= start && at + n <= start + buf.limit()) return;
      if (n > buf.capacity()) buf = ByteBuffer.allocate(Math.max(n, buf.capacity() * 2));
      buf.clear();
      long want = Math.min(buf.capacity(), fileSize - at);
      buf.limit((int) want);
      long pos = at;
      while (buf.hasRemaining()) {
        int r = ch.read(buf, pos);
        if (r < 0) break;
        pos += r;
      }
      buf.limit(buf.position());
      buf.position(0);
      start = at;
      if (buf.limit() < n) throw new IOException("journal shrank while being read (at offset " + at + ")");
    }

    byte byteAt(long at) {
      return buf.get((int) (at - start));
    }

    int intAt(long at) {
      return buf.getInt((int) (at - start));
    }

    void updateCrc(CRC32C crc, long at, int n) {
      crc.update(buf.array(), buf.arrayOffset() + (int) (at - start), n);
    }

    /** The record in the payload of the frame at {@code frameOffset}, {@code n} bytes long. */
    JournalRecord parse(Path file, long frameOffset, int n) throws IOException {
      int at = buf.arrayOffset() + (int) (frameOffset + FRAME_HEADER_BYTES - start);
      return JournalJson.read(file, frameOffset, buf.array(), at, n);
    }
  }
}
