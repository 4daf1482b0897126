package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnreachableGraceFieldTest {

  private static Job load(String extra) throws JobFileException {
    String yaml = "name: g\ncommand: work\ncpus: 0.1\nmem: 32\n" + extra;
    return new JobLoader(java.util.Map.of()).parse("job.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void defaultsToAMinute() throws Exception {
    assertThat(load("").unreachableGrace()).isEqualTo(Duration.ofSeconds(60)).isEqualTo(Job.DEFAULT_UNREACHABLE_GRACE);
  }

  @Test
  void takesADurationAndZero() throws Exception {
    assertThat(load("unreachable_grace: 2m30s\n").unreachableGrace()).isEqualTo(Duration.ofSeconds(150));
    assertThat(load("unreachable_grace: 0s\n").unreachableGrace()).isZero();
  }

  @Test
  void refusesWhatIsNotADurationAtItsPosition() {
    assertThatThrownBy(() -> load("unreachable_grace: 60\n")).isInstanceOf(JobFileException.class)
        .hasMessageContaining("job.yaml:5:").hasMessageContaining("unreachable_grace");
  }

  @Test
  void theOptionWinsOverTheFile() throws Exception {
    assertThat(load("unreachable_grace: 5m\n").withUnreachableGrace(Duration.ZERO).unreachableGrace()).isZero();
  }
}
