package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentFileTailerTest {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void recognisesTheCommandExecutorsGlogLinesOnly() {
    List<String> recorded = Recordings.lines("happy.jsonl").stream()
        .filter(l -> l.path("seq").asInt() == 25).findFirst().orElseThrow()
        .path("json").path("data").asText().lines().toList();
    assertThat(recorded).filteredOn(l -> !TaskOutput.isGlogLine(ascii(l))).containsExactly("to-stderr");
    assertThat(TaskOutput.isGlogLine(ascii("W1125 15:06:40.403369 30065 exec.cpp:164] careful"))).isTrue();
    assertThat(TaskOutput.isGlogLine(ascii("I1125 is how my task logs too"))).isFalse();
    assertThat(TaskOutput.isGlogLine(ascii("error: I1125 15:06:40.403369 30065 exec.cpp:164] x"))).isFalse();
  }

  @Test
  void readsTheDataOfAFilesReadAnswerAsBytes() {
    assertThat(FilesRead.dataBytes(ascii("{\"data\":\"hello world\\n\",\"offset\":0}")))
        .isEqualTo(ascii("hello world\n"));
    assertThat(FilesRead.dataBytes(ascii("{\"offset\":12, \"data\":\"\"}"))).isEmpty();
    assertThat(FilesRead.dataBytes(ascii("{\"data\":\"a\\\"b\\\\c\\/d\\t\\u0001\\u007f\\u00e9\"}")))
        .isEqualTo(new byte[] {'a', '"', 'b', '\\', 'c', '/', 'd', '\t', 1, 0x7f, (byte) 0xC3, (byte) 0xA9});
  }

  @Test
  void keepsRawBytesThatAreNotUtf8AsMesosSendsThem() {
    // Mesos (stout's jsonify) writes bytes above 0x7E as they are, valid UTF-8 or not.
    byte[] body = {'{', '"', 'd', 'a', 't', 'a', '"', ':', '"', 'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9,
        (byte) 0xFF, (byte) 0xC3, '"', ',', '"', 'o', 'f', 'f', 's', 'e', 't', '"', ':', '0', '}'};
    assertThat(FilesRead.dataBytes(body))
        .isEqualTo(new byte[] {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, (byte) 0xC3});
  }

  @Test
  void rejectsAnswersWithoutStringData() {
    assertThatThrownBy(() -> FilesRead.dataBytes(ascii("{\"offset\":3}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilesRead.dataBytes(ascii("{\"data\":\"abc")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FilesRead.dataBytes(ascii("not json")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
