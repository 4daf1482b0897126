package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.RecordingListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.cluster.mesos.PlaybackMaster.SubscribeAnswer;
import io.mesosrunner.cluster.Event;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class MesosClusterTlsTest {

  @TempDir Path dir;

  private void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void subscribesOverHttpsTrustingTheGivenCaCertificate() throws Exception {
    Path keystore = dir.resolve("master.p12");
    Path cert = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "master", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-rfc", "-alias", "master", "-keystore", keystore.toString(), "-storepass", "changeit",
        "-file", cert.toString());

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(kmf.getKeyManagers(), null, null);

    try (PlaybackMaster master = new PlaybackMaster("/api/v1/scheduler", serverTls)) {
      master.answerNextSubscribe(SubscribeAnswer.stream("tls-stream", MesosClusterTest.happyStart()));
      MesosConfig config = MesosConfig.builder(MasterAddress.parse("https://127.0.0.1:" + master.port()), "tls-test")
          .caCert(cert).tailOutput(false).reconnectMin(Duration.ofMillis(50)).maxReconnectAttempts(2).build();
      RecordingListener listener = new RecordingListener();
      try (MesosCluster cluster = new MesosCluster(config)) {
        cluster.start(listener);
        assertThat(listener.next(Event.Subscribed.class).clusterDescription()).startsWith("mesos master https://127.0.0.1:");
      }

      // Without the CA certificate the JDK trust store does not know this master.
      master.answerNextSubscribe(SubscribeAnswer.stream("tls-stream", MesosClusterTest.happyStart()));
      MesosConfig untrusting = config.toBuilder().caCert(null).build();
      RecordingListener second = new RecordingListener();
      try (MesosCluster cluster = new MesosCluster(untrusting)) {
        cluster.start(second);
        assertThat(second.next(Event.ClusterFailed.class).reason()).contains("cannot reach master");
      }
    }
  }

  @Test
  void aCaFileWithoutCertificatesIsRefusedUpFront() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    MesosConfig config = MesosConfig.builder(MasterAddress.parse("https://127.0.0.1:5050"), "x").caCert(empty).build();
    assertThatThrownBy(() -> new MesosCluster(config))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(empty.toString());
  }
}
