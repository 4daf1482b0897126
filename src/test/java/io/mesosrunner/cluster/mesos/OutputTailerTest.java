package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputTailerTest {

  @Test
  void splitsLinesAcrossReadsAndKeepsTheUnfinishedTail() {
    StringBuilder partial = new StringBuilder();
    List<String> lines = new ArrayList<>();
    OutputTailer.splitLines(partial, "hel", lines::add);
    OutputTailer.splitLines(partial, "lo\r\nwor", lines::add);
    OutputTailer.splitLines(partial, "ld\n\nlast", lines::add);
    assertThat(lines).containsExactly("hello", "world", "");
    assertThat(partial).hasToString("last");
  }

  @Test
  void recognisesTheCommandExecutorsGlogLinesOnly() {
    List<String> recorded = Recordings.lines("happy.jsonl").stream()
        .filter(l -> l.path("seq").asInt() == 25).findFirst().orElseThrow()
        .path("json").path("data").asText().lines().toList();
    assertThat(recorded).filteredOn(l -> !OutputTailer.GLOG_LINE.matcher(l).find()).containsExactly("to-stderr");
    assertThat(OutputTailer.GLOG_LINE.matcher("W1125 15:06:40.403369 30065 exec.cpp:164] careful").find()).isTrue();
    assertThat(OutputTailer.GLOG_LINE.matcher("I1125 is how my task logs too").find()).isFalse();
    assertThat(OutputTailer.GLOG_LINE.matcher("error: I1125 15:06:40.403369 30065 exec.cpp:164] x").find()).isFalse();
  }
}
