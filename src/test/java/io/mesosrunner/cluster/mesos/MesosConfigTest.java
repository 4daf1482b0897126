package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MesosConfigTest {

  static final MasterAddress MASTER = MasterAddress.parse("127.0.0.1:5050");

  @Test
  void defaultsSuitAResumableRun() {
    MesosConfig c = MesosConfig.builder(MASTER, "runner").build();
    assertThat(c.role()).isEqualTo("*");
    assertThat(c.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(c.failoverTimeout()).isEqualTo(Duration.ofDays(7));
    assertThat(c.partitionAware()).isTrue();
    assertThat(c.checkpoint()).isTrue();
    assertThat(c.principal()).isNull();
    assertThat(c.authenticates()).isFalse();
    assertThat(c.frameworkId()).isNull();
  }

  @Test
  void secretNeverAppearsInToString() {
    MesosConfig c = MesosConfig.builder(MASTER, "runner").principal("me").secret("hunter2").build();
    assertThat(c.toString()).doesNotContain("hunter2").contains("me").contains("<redacted>");
  }

  @Test
  void badValuesAreRefusedEchoingThem() {
    assertThatThrownBy(() -> MesosConfig.builder(MASTER, "runner").heartbeatMissFactor(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatMissFactor (0)");
    assertThatThrownBy(() -> MesosConfig.builder(MASTER, " ").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("frameworkName");
    assertThatThrownBy(() -> MesosConfig.builder(MASTER, "r").secret("s").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a principal");
    assertThatThrownBy(() -> MesosConfig.builder(MASTER, "r").reconnectMin(Duration.ofSeconds(5))
        .reconnectMax(Duration.ofSeconds(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1S").hasMessageContaining("PT5S");
  }
}
