package io.mesosrunner.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private record Piece(byte[] line, LineEnd end) {}

  private final List<Piece> pieces = new ArrayList<>();

  private LineSplitter splitter(int max) {
    return new LineSplitter(max, (line, end) -> pieces.add(new Piece(line, end)));
  }

  private void feed(LineSplitter s, String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    s.feed(b, 0, b.length);
  }

  private List<String> text() {
    return pieces.stream().map(p -> new String(p.line(), StandardCharsets.ISO_8859_1)).toList();
  }

  private List<LineEnd> ends() {
    return pieces.stream().map(Piece::end).toList();
  }

  /** The pieces with their ends put back together. */
  private byte[] joined() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Piece p : pieces) {
      b.writeBytes(p.line());
      b.writeBytes(p.end().bytes());
    }
    return b.toByteArray();
  }

  @Test
  void splitsLinesAcrossChunksAndKeepsTheUnfinishedTail() {
    LineSplitter s = splitter(1024);
    feed(s, "hel");
    feed(s, "lo\r\nwor");
    feed(s, "ld\n\nlast");
    assertThat(text()).containsExactly("hello", "world", "");
    assertThat(ends()).containsExactly(LineEnd.CRLF, LineEnd.LF, LineEnd.LF);
    assertThat(s.pending()).isEqualTo(4);
    s.flush();
    assertThat(text()).containsExactly("hello", "world", "", "last");
    assertThat(ends()).last().isEqualTo(LineEnd.NONE);
  }

  @Test
  void aCarriageReturnIsPartOfALineEndOnlyBeforeANewline() {
    LineSplitter s = splitter(1024);
    feed(s, "a\rb\r\nc\r");
    s.flush();
    assertThat(text()).containsExactly("a\rb", "c\r");
    assertThat(ends()).containsExactly(LineEnd.CRLF, LineEnd.NONE);
  }

  @Test
  void aCarriageReturnSplitFromItsNewlineByAChunkIsStillALineEnd() {
    LineSplitter s = splitter(1024);
    feed(s, "x\r");
    feed(s, "\ny\n");
    assertThat(text()).containsExactly("x", "y");
    assertThat(ends()).containsExactly(LineEnd.CRLF, LineEnd.LF);
  }

  @Test
  void passesBytesThroughUnchangedWhateverTheirEncoding() {
    LineSplitter s = splitter(1024);
    byte[] bytes = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, (byte) 0xC3, '\n'};
    s.feed(bytes, 0, bytes.length);
    assertThat(pieces).hasSize(1);
    assertThat(pieces.get(0).line()).containsExactly('c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, (byte) 0xC3);
  }

  @Test
  void aLongLineIsPassedOnInPiecesOfTheLimitWithNoLineEnd() {
    LineSplitter s = splitter(4);
    feed(s, "abc");
    assertThat(pieces).isEmpty();
    feed(s, "defghij");
    assertThat(text()).containsExactly("abcd", "efgh");
    feed(s, "k\n");
    assertThat(text()).containsExactly("abcd", "efgh", "ijk");
    assertThat(ends()).containsExactly(LineEnd.NONE, LineEnd.NONE, LineEnd.LF);
  }

  @Test
  void aPieceEndsBeforeAUtf8LetterRatherThanInsideIt() {
    LineSplitter s = splitter(4);
    byte[] e = "é".getBytes(StandardCharsets.UTF_8);
    byte[] line = {'a', 'b', 'c', e[0], e[1], 'd', '\n'};
    s.feed(line, 0, line.length);
    assertThat(pieces.get(0).line()).containsExactly('a', 'b', 'c');
    assertThat(pieces.get(1).line()).containsExactly(e[0], e[1], 'd');
  }

  @Test
  void feedsFromTheGivenOffsetOnly() {
    LineSplitter s = splitter(1024);
    byte[] b = "xxab\ncdyy".getBytes(StandardCharsets.US_ASCII);
    s.feed(b, 2, 5);
    s.flush();
    assertThat(text()).containsExactly("ab", "cd");
  }

  @Test
  void aTenMebibyteLineWithNoNewlineComesBackWhole() {
    LineSplitter s = splitter(LineSplitter.MAX_LINE_BYTES);
    byte[] big = new byte[10 << 20];
    Arrays.fill(big, (byte) 'x');
    for (int at = 0; at < big.length; at += 65_000) s.feed(big, at, Math.min(65_000, big.length - at));
    s.flush();
    assertThat(joined()).isEqualTo(big);
    assertThat(pieces).allSatisfy(p -> assertThat(p.line().length).isLessThanOrEqualTo(LineSplitter.MAX_LINE_BYTES));
    assertThat(pieces).hasSize(160);
  }

  @Provide
  Arbitrary<byte[]> streams() {
    // Few distinct bytes, so that newlines, carriage returns and UTF-8 letters come often.
    return Arbitraries.of((byte) 'a', (byte) '\n', (byte) '\r', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82,
        (byte) 0xAC, (byte) 0xFF).array(byte[].class).ofMaxSize(200);
  }

  @Property(tries = 300)
  void piecesAndTheirEndsAreTheStreamWhateverTheChunksAndCutsDoNotDependOnThem(@ForAll("streams") byte[] stream,
      @ForAll @IntRange(min = 4, max = 12) int max, @ForAll @Size(max = 10) List<@IntRange(min = 1, max = 30) Integer> chunks) {
    pieces.clear();
    LineSplitter whole = splitter(max);
    whole.feed(stream, 0, stream.length);
    whole.flush();
    List<Piece> inOneGo = List.copyOf(pieces);
    assertThat(joined()).isEqualTo(stream);

    pieces.clear();
    LineSplitter chunked = splitter(max);
    int at = 0;
    for (int i = 0; at < stream.length; i++) {
      int n = Math.min(stream.length - at, chunks.isEmpty() ? 1 : chunks.get(i % chunks.size()));
      chunked.feed(stream, at, n);
      at += n;
    }
    chunked.flush();
    assertThat(joined()).isEqualTo(stream);
    assertThat(pieces).hasSameSizeAs(inOneGo);
    for (int i = 0; i < pieces.size(); i++) {
      assertThat(pieces.get(i).line()).isEqualTo(inOneGo.get(i).line());
      assertThat(pieces.get(i).end()).isEqualTo(inOneGo.get(i).end());
      assertThat(pieces.get(i).line().length).isLessThanOrEqualTo(max);
    }
  }
}
