package io.mesosrunner.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private final List<byte[]> lines = new ArrayList<>();

  private void feed(LineSplitter s, String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    s.feed(b, 0, b.length);
  }

  private List<String> text() {
    return lines.stream().map(l -> new String(l, StandardCharsets.ISO_8859_1)).toList();
  }

  @Test
  void splitsLinesAcrossChunksAndKeepsTheUnfinishedTail() {
    LineSplitter s = new LineSplitter(1024, lines::add);
    feed(s, "hel");
    feed(s, "lo\r\nwor");
    feed(s, "ld\n\nlast");
    assertThat(text()).containsExactly("hello", "world", "");
    assertThat(s.pending()).isEqualTo(4);
    s.flush();
    assertThat(text()).containsExactly("hello", "world", "", "last");
  }

  @Test
  void dropsACarriageReturnOnlyAtALineEnd() {
    LineSplitter s = new LineSplitter(1024, lines::add);
    feed(s, "a\rb\r\nc\r");
    s.flush();
    assertThat(text()).containsExactly("a\rb", "c");
  }

  @Test
  void aCarriageReturnSplitFromItsNewlineByAChunkIsStillDropped() {
    LineSplitter s = new LineSplitter(1024, lines::add);
    feed(s, "x\r");
    feed(s, "\ny\n");
    assertThat(text()).containsExactly("x", "y");
  }

  @Test
  void passesBytesThroughUnchangedWhateverTheirEncoding() {
    LineSplitter s = new LineSplitter(1024, lines::add);
    byte[] bytes = {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, (byte) 0xC3, '\n'};
    s.feed(bytes, 0, bytes.length);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).containsExactly('c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, ' ', (byte) 0xFF, (byte) 0xC3);
  }

  @Test
  void passesOnAnUnfinishedLineThatOutgrowsTheLimitAfterAChunk() {
    LineSplitter s = new LineSplitter(4, lines::add);
    feed(s, "abc");
    assertThat(lines).isEmpty();
    feed(s, "defg");
    assertThat(text()).containsExactly("abcdefg");
    feed(s, "h\n");
    assertThat(text()).containsExactly("abcdefg", "h");
  }

  @Test
  void feedsFromTheGivenOffsetOnly() {
    LineSplitter s = new LineSplitter(1024, lines::add);
    byte[] b = "xxab\ncdyy".getBytes(StandardCharsets.US_ASCII);
    s.feed(b, 2, 5);
    s.flush();
    assertThat(text()).containsExactly("ab", "cd");
  }
}
