package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.RecordingListener;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.mesos.PlaybackMaster.SubscribeAnswer;
import io.mesosrunner.cluster.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(90)
class MesosClusterZooKeeperTest {

  @Test
  void subscribesToTheLeaderNamedInZooKeeperAndMovesWhenTheLeaderChanges() throws Exception {
    try (TestingServer zkServer = new TestingServer(true);
        CuratorFramework zk = CuratorFrameworkFactory.newClient(zkServer.getConnectString(), new RetryOneTime(100));
        PlaybackMaster first = new PlaybackMaster("/api/v1/scheduler");
        PlaybackMaster second = new PlaybackMaster("/api/v1/scheduler")) {
      zk.start();
      zk.blockUntilConnected(20, TimeUnit.SECONDS);
      zk.create().creatingParentsIfNeeded().forPath("/mesos/json.info_0000000001",
          ZooKeeperLeaderDetectorTest.masterInfo(first.port()).getBytes(StandardCharsets.UTF_8));
      zk.create().forPath("/mesos/json.info_0000000002",
          ZooKeeperLeaderDetectorTest.masterInfo(second.port()).getBytes(StandardCharsets.UTF_8));
      first.answerNextSubscribe(SubscribeAnswer.stream("s1", MesosClusterTest.happyStart()));
      second.answerNextSubscribe(SubscribeAnswer.stream("s2", List.of(MesosClusterTest.recorded(3))));

      MesosConfig config = MesosConfig.builder(MasterAddress.parse("zk://" + zkServer.getConnectString() + "/mesos"), "zk-test")
          .reconnectMin(Duration.ofMillis(100)).reconnectMax(Duration.ofMillis(500)).maxReconnectAttempts(50)
          .tailOutput(false).build();
      RecordingListener listener = new RecordingListener();
      try (MesosCluster cluster = new MesosCluster(config)) {
        cluster.start(listener);
        listener.next(Event.Subscribed.class);
        assertThat(first.next(Call.Type.SUBSCRIBE).call().hasFrameworkId()).isFalse();
        assertThat(cluster.description()).contains("127.0.0.1:" + first.port());

        zk.delete().forPath("/mesos/json.info_0000000001");
        assertThat(listener.next(Event.Disconnected.class).reason()).contains("leading master changed");
        Event.Subscribed again = listener.next(Event.Subscribed.class);
        assertThat(again.clusterDescription()).contains("127.0.0.1:" + second.port());
        assertThat(second.next(Call.Type.SUBSCRIBE).call().getFrameworkId().getValue()).isEqualTo(MesosClusterTest.FID);
      }
    }
  }
}
