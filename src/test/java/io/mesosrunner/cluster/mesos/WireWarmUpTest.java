package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireWarmUpTest {

  @Test
  void everyStepRunsOnItsMadeUpMessages() {
    // A step that throws (a translator that no longer accepts the sample offer, say) would leave
    // the classes after it cold; the warm-up reports it rather than failing a run.
    assertThat(WireWarmUp.run()).isTrue();
  }
}
