package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.cluster.mesos.ZooKeeperLeaderDetector.Leader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ZooKeeperLeaderDetectorTest {

  /** The MasterInfo a 1.12 master wrote (README, two-master observation), with another port. */
  static String masterInfo(int port) {
    return "{\"address\":{\"hostname\":\"127.0.0.1\",\"ip\":\"127.0.0.1\",\"port\":" + port + "},"
        + "\"capabilities\":[{\"type\":\"AGENT_UPDATE\"},{\"type\":\"AGENT_DRAINING\"},{\"type\":\"QUOTA_V2\"}],"
        + "\"hostname\":\"127.0.0.1\",\"id\":\"a0e9e038\",\"ip\":16777343,\"pid\":\"master@127.0.0.1:" + port + "\","
        + "\"port\":" + port + ",\"version\":\"1.12.0\"}";
  }

  TestingServer server;
  CuratorFramework zk;

  @BeforeEach
  void startZooKeeper() throws Exception {
    server = new TestingServer(true);
    zk = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
    zk.start();
    zk.blockUntilConnected(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stopZooKeeper() throws IOException {
    zk.close();
    server.close();
  }

  private void register(String name, String json) throws Exception {
    zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
        .forPath("/mesos/" + name, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void followsTheLowestSequenceAndSeesTheLeaderChange() throws Exception {
    register("json.info_0000000002", masterInfo(5062));
    register("json.info_0000000001", masterInfo(5060));
    register("log_replicas", "");
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (ZooKeeperLeaderDetector detector = new ZooKeeperLeaderDetector(
        new MasterAddress.ZooKeeper(server.getConnectString(), "/mesos"), l -> seen.add(String.valueOf(l)))) {
      detector.start();
      assertThat(seen.poll(20, TimeUnit.SECONDS)).isEqualTo("127.0.0.1:5060");
      assertThat(detector.current()).contains(new Leader("127.0.0.1", 5060));

      zk.delete().forPath("/mesos/json.info_0000000001");
      assertThat(seen.poll(20, TimeUnit.SECONDS)).isEqualTo("127.0.0.1:5062");

      zk.delete().forPath("/mesos/json.info_0000000002");
      assertThat(seen.poll(20, TimeUnit.SECONDS)).isEqualTo("null");
      assertThat(detector.current()).isEmpty();
    }
  }

  @Test
  void seesAMasterRegisteringUnderAPathThatDidNotExistYet() throws Exception {
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    try (ZooKeeperLeaderDetector detector = new ZooKeeperLeaderDetector(
        new MasterAddress.ZooKeeper(server.getConnectString(), "/mesos"), l -> seen.add(String.valueOf(l)))) {
      detector.start();
      assertThat(seen.poll(20, TimeUnit.SECONDS)).isEqualTo("null");
      register("json.info_0000000007", masterInfo(5070));
      assertThat(seen.poll(20, TimeUnit.SECONDS)).isEqualTo("127.0.0.1:5070");
    }
  }

  @Test
  void masterInfoFallsBackToTopLevelHostnameAndPortAndToleratesUnknownFields() throws IOException {
    Leader l = ZooKeeperLeaderDetector.parseMasterInfo(
        "{\"hostname\":\"m1.example.org\",\"port\":5050,\"future\":{\"x\":[1]},\"capabilities\":[{\"type\":\"NEW_THING\"}]}"
            .getBytes(StandardCharsets.UTF_8));
    assertThat(l).isEqualTo(new Leader("m1.example.org", 5050));
    assertThat(ZooKeeperLeaderDetector.parseMasterInfo(
        "{\"address\":{\"ip\":\"10.0.0.5\",\"port\":5051}}".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(new Leader("10.0.0.5", 5051));
    assertThatThrownBy(() -> ZooKeeperLeaderDetector.parseMasterInfo("{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("no host");
  }
}
