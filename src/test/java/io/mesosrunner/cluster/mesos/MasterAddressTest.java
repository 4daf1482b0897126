package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MasterAddressTest {

  @Test
  void bareHostPortMeansPlainHttp() {
    MasterAddress a = MasterAddress.parse("127.0.0.1:5050");
    assertThat(a).isEqualTo(new MasterAddress.Http(URI.create("http://127.0.0.1:5050")));
    assertThat(((MasterAddress.Http) a).schedulerUri()).hasToString("http://127.0.0.1:5050/api/v1/scheduler");
  }

  @Test
  void bareHostGetsTheDefaultPort() {
    assertThat(MasterAddress.parse("master.example.org")).hasToString("http://master.example.org:5050");
  }

  @Test
  void httpsUrlKeepsItsSchemeAndPort() {
    MasterAddress.Http a = (MasterAddress.Http) MasterAddress.parse("https://mesos.example.org:5443/");
    assertThat(a.isHttps()).isTrue();
    assertThat(a.schedulerUri()).hasToString("https://mesos.example.org:5443/api/v1/scheduler");
  }

  @Test
  void httpUrlWithAPathPrefixKeepsThePrefix() {
    MasterAddress.Http a = (MasterAddress.Http) MasterAddress.parse("http://gateway:80/mesos/");
    assertThat(a.schedulerUri()).hasToString("http://gateway:80/mesos/api/v1/scheduler");
  }

  @Test
  void ipv6HostIsBracketed() {
    assertThat(MasterAddress.parse("http://[::1]:5050")).hasToString("http://[::1]:5050");
  }

  @Test
  void zkAddressSplitsHostsAndPath() {
    assertThat(MasterAddress.parse("zk://h1:2181,h2:2181/mesos"))
        .isEqualTo(new MasterAddress.ZooKeeper("h1:2181,h2:2181", "/mesos"));
  }

  @Test
  void zkPathKeepsNestingAndDropsATrailingSlash() {
    assertThat(MasterAddress.parse("zk://zk1:2181/a/mesos/")).isEqualTo(new MasterAddress.ZooKeeper("zk1:2181", "/a/mesos"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                        | empty",
      "ftp://host:21             | unsupported scheme 'ftp'",
      "host:99999                | ",
      "http://host:0             | port 0 is out of range",
      "http://user:pw@host:5050  | credentials",
      "zk://h1:2181              | has no path",
      "zk://h1:2181/             | empty path",
      "zk://h1/mesos             | 'h1' is not host:port",
      "zk://h1:x/mesos           | port 'x' is not a number",
      "zk:///mesos               | names no host",
      "zk://u:p@h1:2181/mesos    | credentials",
      "http://host:5050?x=1      | query",
  })
  void badAddressesAreRefusedWithAMessageEchoingThem(String input, String expected) {
    assertThatThrownBy(() -> MasterAddress.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> {
          if (!input.isEmpty()) assertThat(e.getMessage()).contains(input.trim());
          if (expected != null) assertThat(e.getMessage()).contains(expected.trim());
        });
  }

  @Test
  void nullIsRefused() {
    assertThatThrownBy(() -> MasterAddress.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
  }
}
