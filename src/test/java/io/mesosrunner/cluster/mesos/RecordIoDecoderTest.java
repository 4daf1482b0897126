package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RecordIoDecoderTest {

  static byte[] frame(List<byte[]> records) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] r : records) {
      out.writeBytes((r.length + "\n").getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  /** Feeds {@code data} in chunks of the given sizes (cycled), as the HTTP client hands them over, then ends. */
  static List<byte[]> decodeAll(RecordIoDecoder decoder, byte[] data, List<Integer> sizes) throws IOException {
    List<byte[]> out = new ArrayList<>();
    int pos = 0;
    int chunk = 0;
    while (pos < data.length) {
      int n = Math.max(1, Math.min(sizes.get(chunk++ % sizes.size()), data.length - pos));
      decoder.feed(ByteBuffer.wrap(data, pos, n).slice());
      pos += n;
      byte[] r;
      while ((r = decoder.next()) != null) out.add(r);
    }
    decoder.end();
    return out;
  }

  static List<byte[]> decodeAll(byte[] data) throws IOException {
    return decodeAll(new RecordIoDecoder(), data, List.of(Integer.MAX_VALUE));
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void decodesSeveralRecordsDeliveredInOneChunk() throws IOException {
    List<byte[]> records = decodeAll(ascii("2\nab3\ncde0\n1\nf"));
    assertThat(records).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("ab", "cde", "", "f");
  }

  @Test
  void decodesARecordSplitAcrossManyOneByteChunks() throws IOException {
    byte[] data = frame(List.of(ascii("hello world")));
    List<byte[]> records = decodeAll(new RecordIoDecoder(), data, List.of(1));
    assertThat(records).extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("hello world");
  }

  @Test
  void returnsNothingUntilARecordIsComplete() throws IOException {
    RecordIoDecoder decoder = new RecordIoDecoder();
    decoder.feed(ByteBuffer.wrap(ascii("5\nab")));
    assertThat(decoder.next()).isNull();
    decoder.feed(ByteBuffer.wrap(ascii("cde")));
    assertThat(decoder.next()).containsExactly(ascii("abcde"));
    assertThat(decoder.next()).isNull();
  }

  @Test
  void decodesTheRecordedHeartbeatRecord() throws IOException {
    byte[] heartbeat = Recordings.bytes(Recordings.seq("happy.jsonl", 4));
    assertThat(decodeAll(frame(List.of(heartbeat)))).singleElement().satisfies(r -> assertThat(r).containsExactly(0x08, 0x08));
  }

  @Test
  void refusesALengthAboveTheLimit() {
    RecordIoDecoder decoder = new RecordIoDecoder(999);
    decoder.feed(ByteBuffer.wrap(ascii("1000\nxx")));
    assertThatThrownBy(decoder::next).isInstanceOf(IOException.class).hasMessageContaining("1000").hasMessageContaining("999");
  }

  @Test
  void refusesAnAbsurdlyLongLengthLine() {
    assertThatThrownBy(() -> decodeAll(ascii("99999999999999999999999\n")))
        .isInstanceOf(IOException.class).hasMessageContaining("digits");
  }

  @Test
  void reportsEndOfStreamInsideARecord() {
    assertThatThrownBy(() -> decodeAll(ascii("5\nabc"))).isInstanceOf(EOFException.class).hasMessageContaining("3 of 5");
  }

  @Test
  void reportsEndOfStreamInsideTheLengthLine() {
    assertThatThrownBy(() -> decodeAll(ascii("12"))).isInstanceOf(EOFException.class);
  }

  @Test
  void refusesANonDigitInTheLengthLine() {
    assertThatThrownBy(() -> decodeAll(ascii("1x\na"))).isInstanceOf(IOException.class).hasMessageContaining("non-digit");
  }

  @Test
  void refusesAnEmptyLengthLine() {
    assertThatThrownBy(() -> decodeAll(ascii("\nab"))).isInstanceOf(IOException.class).hasMessageContaining("empty");
  }

  @Test
  void anEmptyStreamEndsCleanly() throws IOException {
    assertThat(decodeAll(new byte[0])).isEmpty();
  }

  @Property(tries = 200)
  void decodesEveryRecordHoweverTheBytesAreSplit(
      @ForAll @Size(max = 20) List<@Size(max = 300) List<Byte>> records,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 700) Integer> chunkSizes) throws IOException {
    List<byte[]> raw = new ArrayList<>();
    for (List<Byte> r : records) {
      byte[] b = new byte[r.size()];
      for (int i = 0; i < b.length; i++) b[i] = r.get(i);
      raw.add(b);
    }
    List<byte[]> back = decodeAll(new RecordIoDecoder(), frame(raw), chunkSizes);
    assertThat(back).hasSameSizeAs(raw);
    for (int i = 0; i < raw.size(); i++) {
      assertThat(back.get(i)).containsExactly(raw.get(i));
    }
  }

  @Property(tries = 100)
  void aTruncatedStreamNeverYieldsAPartialRecord(
      @ForAll @Size(min = 1, max = 5) List<@Size(min = 1, max = 50) List<Byte>> records,
      @ForAll @IntRange(min = 1, max = 10_000) int cutSeed) throws IOException {
    List<byte[]> raw = new ArrayList<>();
    for (List<Byte> r : records) {
      byte[] b = new byte[r.size()];
      for (int i = 0; i < b.length; i++) b[i] = r.get(i);
      raw.add(b);
    }
    byte[] full = frame(raw);
    int cut = 1 + cutSeed % (full.length - 1);
    RecordIoDecoder decoder = new RecordIoDecoder();
    decoder.feed(ByteBuffer.wrap(java.util.Arrays.copyOf(full, cut)));
    List<byte[]> got = new ArrayList<>();
    byte[] r;
    while ((r = decoder.next()) != null) got.add(r);
    try {
      decoder.end();
    } catch (EOFException expected) {
      // Cut inside a record or a length line; a cut between records ends cleanly.
    }
    for (int i = 0; i < got.size(); i++) {
      assertThat(got.get(i)).containsExactly(raw.get(i));
    }
    assertThat(got.size()).isLessThan(raw.size());
  }
}
