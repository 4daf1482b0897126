package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class DeferredDefaultTlsTest {

  @Test
  void isTheJdksDefaultContextOnceUsed() throws Exception {
    SSLContext deferred = DeferredDefaultTls.create();
    SSLContext real = SSLContext.getDefault();

    // The same session cache means the same context: sessions made through either are shared.
    assertThat(deferred.getClientSessionContext()).isSameAs(real.getClientSessionContext());
    SSLEngine engine = deferred.createSSLEngine("127.0.0.1", 5050);
    assertThat(engine.getPeerHost()).isEqualTo("127.0.0.1");
    assertThat(engine.getEnabledProtocols()).containsExactly(real.createSSLEngine().getEnabledProtocols());
    assertThat(engine.getEnabledCipherSuites()).containsExactly(real.createSSLEngine().getEnabledCipherSuites());
  }

  @Test
  void leavesTheEnginesChoicesAlone() {
    // Null lists tell the engine to keep its own protocols and cipher suites.
    assertThat(DeferredDefaultTls.parameters().getProtocols()).isNull();
    assertThat(DeferredDefaultTls.parameters().getCipherSuites()).isNull();
  }
}
