package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordIoReaderTest {

  /** Hands out the given bytes in reads of the given sizes (cycled), like a chunked stream. */
  static final class ChunkedStream extends InputStream {
    private final byte[] data;
    private final List<Integer> sizes;
    private int pos;
    private int read;

    ChunkedStream(byte[] data, List<Integer> sizes) {
      this.data = data;
      this.sizes = sizes;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) return -1;
      int n = Math.min(Math.min(len, sizes.get(read++ % sizes.size())), data.length - pos);
      n = Math.max(n, 1);
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  static byte[] frame(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.writeBytes((r.length + "\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  static List<byte[]> readAll(RecordIoReader reader) throws IOException {
    List<byte[]> out = new ArrayList<>();
    byte[] r;
    while ((r = reader.next()) != null) out.add(r);
    return out;
  }

  @Test
  void readsSeveralRecordsDeliveredInOneRead() throws IOException {
    byte[] data = "2\nab3\ncde0\n1\nf".getBytes(StandardCharsets.US_ASCII);
    List<byte[]> records = readAll(new RecordIoReader(new ByteArrayInputStream(data)));
    assertThat(records).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("ab", "cde", "", "f");
  }

  @Test
  void readsARecordSplitAcrossManyOneByteReads() throws IOException {
    byte[] data = frame(List.of("hello world".getBytes(StandardCharsets.US_ASCII)));
    RecordIoReader reader = new RecordIoReader(new java.io.BufferedInputStream(new ChunkedStream(data, List.of(1))));
    assertThat(new String(reader.next(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
    assertThat(reader.next()).isNull();
  }

  @Test
  void readsTheRecordedHeartbeatRecord() throws IOException {
    byte[] heartbeat = Recordings.bytes(Recordings.seq("happy.jsonl", 4));
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(frame(List.of(heartbeat))));
    assertThat(reader.next()).containsExactly(0x08, 0x08);
  }

  @Test
  void refusesALengthAboveTheLimit() {
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("1000\nxx".getBytes(StandardCharsets.US_ASCII)), 999);
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("1000").hasMessageContaining("999");
  }

  @Test
  void refusesAnAbsurdlyLongLengthLine() {
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("99999999999999999999999\n".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("digits");
  }

  @Test
  void reportsEndOfStreamInsideARecord() {
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("5\nabc".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(reader::next).isInstanceOf(EOFException.class).hasMessageContaining("3 of 5");
  }

  @Test
  void reportsEndOfStreamInsideTheLengthLine() {
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("12".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(reader::next).isInstanceOf(EOFException.class);
  }

  @Test
  void refusesANonDigitInTheLengthLine() {
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream("1x\na".getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("non-digit");
  }

  @Test
  void returnsNullAtACleanEndOfStream() throws IOException {
    assertThat(new RecordIoReader(new ByteArrayInputStream(new byte[0])).next()).isNull();
  }

  @Property(tries = 200)
  void readsBackEveryRecordHoweverTheBytesAreSplit(
      @ForAll @Size(max = 20) List<@Size(max = 300) List<Byte>> records,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 700) Integer> readSizes) throws IOException {
    List<byte[]> raw = new ArrayList<>();
    for (List<Byte> r : records) {
      byte[] b = new byte[r.size()];
      for (int i = 0; i < b.length; i++) b[i] = r.get(i);
      raw.add(b);
    }
    RecordIoReader reader = new RecordIoReader(new java.io.BufferedInputStream(new ChunkedStream(frame(raw), readSizes), 7));
    List<byte[]> back = readAll(reader);
    assertThat(back).hasSameSizeAs(raw);
    for (int i = 0; i < raw.size(); i++) {
      assertThat(back.get(i)).containsExactly(raw.get(i));
    }
  }

  @Property(tries = 100)
  void aTruncatedStreamNeverYieldsAPartialRecord(
      @ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 50) List<Byte>> records,
      @ForAll @IntRange(min = 1, max = 10_000) int cutSeed) {
    List<byte[]> raw = new ArrayList<>();
    for (List<Byte> r : records) {
      byte[] b = new byte[r.size()];
      for (int i = 0; i < b.length; i++) b[i] = r.get(i);
      raw.add(b);
    }
    byte[] full = frame(raw);
    int cut = 1 + cutSeed % (full.length - 1);
    byte[] truncated = java.util.Arrays.copyOf(full, cut);
    RecordIoReader reader = new RecordIoReader(new ByteArrayInputStream(truncated));
    List<byte[]> got = new ArrayList<>();
    try {
      byte[] r;
      while ((r = reader.next()) != null) got.add(r);
    } catch (IOException expected) {
      assertThat(expected).isInstanceOf(EOFException.class);
    }
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).containsExactly(raw.get(i));
    }
    assertThat(got.size()).isLessThan(raw.size());
  }
}
