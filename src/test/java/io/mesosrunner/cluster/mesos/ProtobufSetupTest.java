package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProtobufSetupTest {

  @Test
  @Timeout(60)
  void theAdapterSilencesProtobufsPre22WarningWithoutAnyJvmFlag() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ProtobufWarningProbe.class.getName(), Recordings.seq("happy.jsonl", 3).path("pb_base64").asText()))
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("parsed SUBSCRIBED property true").doesNotContainIgnoringCase("vulnerable").doesNotContain("pre22");
  }
}
