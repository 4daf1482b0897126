package io.mesosrunner.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ClusterKindTest {

  @Test
  void journalsTextLocalIsTheLocalCluster() {
    assertThat(ClusterKind.parse("local")).isEqualTo(new ClusterKind.Local());
    assertThat(new ClusterKind.Local().recorded()).isEqualTo("local");
  }

  @Test
  void anyOtherJournalTextIsAMasterKeptAsWritten() {
    for (String text : new String[] {"10.0.0.5:5050", "http://127.0.0.1:5050", "zk://zk1:2181/mesos", "Local"}) {
      ClusterKind kind = ClusterKind.parse(text);
      assertThat(kind).isEqualTo(new ClusterKind.Mesos(text));
      assertThat(kind.recorded()).isEqualTo(text);
    }
  }

  @Test
  void onlyMesosTasksOutliveTheirRunner() {
    assertThat(new ClusterKind.Local().tasksOutliveTheRunner()).isFalse();
    assertThat(new ClusterKind.Mesos("127.0.0.1:5050").tasksOutliveTheRunner()).isTrue();
  }

  @Test
  void aMasterNamedLocalIsRefused() {
    assertThatThrownBy(() -> new ClusterKind.Mesos("local")).isInstanceOf(IllegalArgumentException.class);
  }
}
