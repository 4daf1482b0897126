package io.mesosrunner.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The durable, append-only log of one run: the write-ahead record of everything the scheduler
 * decided, so a runner that crashes can resume without losing or repeating work.
 *
 * <h2>File format</h2>
 * <pre>
 *   header:  "MRJL" (4 bytes ASCII) + format version (4-byte big-endian int, currently 1)
 *   frames:  word (4 bytes) + crc (4 bytes) + payload (word &amp; 0x7fffffff bytes)
 *     word     big-endian int: payload length in the low 31 bits; the top bit marks the LAST
 *              frame of a batch (the commit mark)
 *     crc      CRC32C over the 4 word bytes followed by the payload, big-endian
 *     payload  one {@link JournalRecord} as UTF-8 JSON with a "type" discriminator, 1 B .. 1 MiB
 * </pre>
 *
 * <h2>Durability</h2>
 * {@link #append(List)} writes a whole batch with one write and forces it to the device with one
 * {@code force(false)} before it returns: callers append BEFORE they act (launch intents before
 * the ACCEPT, state changes before the ACKNOWLEDGE). A new file is created under a temporary name,
 * forced, renamed into place and its directory forced, so a journal never exists half-created.
 *
 * <h2>Recovery</h2>
 * Opening reads every frame ({@link JournalScan}, the reading side, which also serves
 * {@link #read}). Batches are all or nothing: records after the last commit mark are dropped. A
 * torn tail (a bad frame with no valid commit frame after it) is truncated away and the
 * {@link RecoveryReport} says where and why; damage in the middle is a
 * {@link JournalCorruptException}, a newer format a {@link JournalVersionException} (the reasons
 * are in {@link JournalScan}'s comment).
 *
 * <p>Threading: {@link #append} is synchronized; the scheduler's single thread is the expected
 * caller. The channel stays open until {@link #close()}.
 * */
public final class RunJournal implements Closeable {

  /** Name of the journal of the latest run inside a job's state directory. */
  public static final String FILE_NAME = "journal.log";
  /** Name the previous run's journal is kept under when a new run starts. */
  public static final String PREVIOUS_FILE_NAME = "journal.prev.log";
  /** Current format version, written in the header. */
  public static final int FORMAT_VERSION = 1;
  /** Largest payload accepted (a record is normally ~100-300 bytes). */
  public static final int MAX_PAYLOAD = 1 << 20;

  static final byte[] MAGIC = {'M', 'R', 'J', 'L'};
  static final int HEADER_BYTES = 8;
  static final int FRAME_HEADER_BYTES = 8;
  /** The top bit of a frame's length word: the last frame of a batch. */
  static final int COMMIT_BIT = 0x8000_0000;

  /**
   * What a journal holds.
   *
   * @param records the accepted records, oldest first
   * @param report  what recovery found
   */
  public record Contents(List<JournalRecord> records, RecoveryReport report) {
    public Contents {
      records = List.copyOf(records);
      Objects.requireNonNull(report, "report");
    }
  }

  private final Path file;
  private final FileChannel channel;
  private final Object fileKey;
  private final Contents recovered;
  private long size;
  private boolean broken;
  private byte[] scratch = new byte[8192];

  private RunJournal(Path file, FileChannel channel, Contents recovered, long size) {
    this.file = file;
    this.channel = channel;
    this.fileKey = keyOf(file);
    this.recovered = recovered;
    this.size = size;
  }

  /**
   * Opens the journal in the job state directory {@code dir} for appending, creating the
   * directory and an empty journal when there is none, and recovering an existing one: a torn or
   * unfinished tail is truncated away (see {@link #recovery()}).
   *
   * @throws JournalCorruptException when the file is damaged other than at its tail
   * @throws JournalVersionException when it was written by a newer runner
   */
  public static RunJournal open(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    boolean created = false;
    if (!Files.exists(file)) {
      create(dir, file);
      created = true;
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Contents contents = JournalScan.scan(file, ch, created);
      long valid = contents.report().validBytes();
      if (contents.report().truncated()) {
        ch.truncate(valid);
        ch.force(true);
      }
      return new RunJournal(file, ch, contents, valid);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Starts a new, empty journal in {@code dir}: an existing {@value #FILE_NAME} is first renamed to
   * {@value #PREVIOUS_FILE_NAME} (replacing an older one).
   */
  public static RunJournal openFresh(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      Files.move(file, dir.resolve(PREVIOUS_FILE_NAME), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      Durable.syncDirectory(dir);
    }
    return open(dir);
  }

  /**
   * Reads the journal in {@code dir} without changing it (for {@code runner status}, which may run
   * beside a live runner): a bad tail is reported, not truncated.
   *
   * @throws NoSuchFileException when there is no journal
   */
  public static Contents read(Path dir) throws IOException {
    return read(dir, FILE_NAME);
  }

  /**
   * Reads the journal {@code fileName} ({@value #FILE_NAME} or {@value #PREVIOUS_FILE_NAME}) in
   * {@code dir} without changing it, as {@link #read(Path)} does.
   *
   * @throws NoSuchFileException when there is no such journal
   */
  public static Contents read(Path dir, String fileName) throws IOException {
    Path file = dir.resolve(fileName);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return JournalScan.scan(file, ch, false);
    }
  }

  /** The journal file. */
  public Path file() {
    return file;
  }

  /** The records found when the journal was opened, oldest first (not those appended since). */
  public List<JournalRecord> records() {
    return recovered.records();
  }

  /** What opening the journal found. */
  public RecoveryReport recovery() {
    return recovered.report();
  }

  /** Bytes in the journal, header included. */
  public synchronized long size() {
    return size;
  }

  /** {@link #append(List)} for a few records. */
  public void append(JournalRecord... batch) throws IOException {
    append(List.of(batch));
  }

  /**
   * Writes {@code batch} as one atomic batch and forces it to the device before returning: after a
   * crash, either every record of the batch is recovered or none is. An empty batch does nothing.
   * After a failed write or force the journal refuses further appends (what reached the disk is
   * unknown; reopen it to recover).
   *
   * @throws IllegalArgumentException when a record's JSON exceeds {@link #MAX_PAYLOAD} bytes
   */
  public synchronized void append(List<? extends JournalRecord> batch) throws IOException {
    if (broken) {
      throw new IllegalStateException(file + ": an earlier append failed; reopen the journal to recover it");
    }
    if (!channel.isOpen()) throw new IllegalStateException(file + " is closed");
    if (batch.isEmpty()) return;
    int len = 0;
    CRC32C crc = new CRC32C();
    for (int i = 0; i < batch.size(); i++) {
      JournalRecord rec = Objects.requireNonNull(batch.get(i), "batch record " + i);
      byte[] payload = JournalJson.write(rec);
      if (payload.length > MAX_PAYLOAD) {
        throw new IllegalArgumentException("record " + rec.getClass().getSimpleName() + " is " + payload.length
            + " bytes as JSON, more than the " + MAX_PAYLOAD + " allowed");
      }
      int word = payload.length | (i == batch.size() - 1 ? COMMIT_BIT : 0);
      ensureScratch(len + FRAME_HEADER_BYTES + payload.length);
      putInt(scratch, len, word);
      crc.reset();
      crc.update(scratch, len, 4);
      crc.update(payload);
      putInt(scratch, len + 4, (int) crc.getValue());
      System.arraycopy(payload, 0, scratch, len + FRAME_HEADER_BYTES, payload.length);
      len += FRAME_HEADER_BYTES + payload.length;
    }
    ByteBuffer buf = ByteBuffer.wrap(scratch, 0, len);
    try {
      long pos = size;
      while (buf.hasRemaining()) {
        pos += channel.write(buf, pos);
      }
      channel.force(false);
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
    size += len;
  }

  /**
   * Checks that the journal's path still names the file being written: a state directory deleted
   * under a live run ({@code rm -rf .runner}) leaves appends going to a file nobody can read.
   *
   * @throws FileSystemException naming the path when the file is gone or another file took its place
   */
  public void checkInPlace() throws IOException {
    Object now = keyOf(file);
    if (now == null) throw new FileSystemException(file.toString(), null, "deleted under the run");
    if (fileKey != null && !fileKey.equals(now)) throw new FileSystemException(file.toString(), null, "replaced under the run");
  }

  /**
   * Writes what this journal holds (read through its open file, which outlives its deletion) to
   * its path again, creating the directory: after {@link #checkInPlace} found it deleted, so the
   * same command can resume the run.
   */
  public synchronized void restore() throws IOException {
    Path dir = file.getParent();
    Durable.createDirectories(dir);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      long at = 0;
      while (at < size) at += channel.transferTo(at, size - at, out);
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durable.syncDirectory(dir);
  }

  private static Object keyOf(Path file) {
    try {
      return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    } catch (IOException e) {
      return null;
    }
  }

  /** Closes the file. Appends fail afterwards. */
  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }

  private void ensureScratch(int needed) {
    if (scratch.length < needed) {
      scratch = java.util.Arrays.copyOf(scratch, Math.max(needed, scratch.length * 2));
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void create(Path dir, Path file) throws IOException {
    Durable.createDirectories(dir);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    Files.deleteIfExists(tmp);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).put(MAGIC).putInt(FORMAT_VERSION).flip();
      while (header.hasRemaining()) ch.write(header);
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    Durable.syncDirectory(dir);
  }
}
