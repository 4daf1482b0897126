package io.mesosrunner.cluster.mesos;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context, built the first time a TLS connection needs it rather than when
 * the {@link java.net.http.HttpClient} is built. The JDK's client asks for its context in its
 * constructor, and the default one loads the security providers and the trust store: about 250
 * ms of start-up on the path to SUBSCRIBE, for nothing when the master is plain {@code http://}
 * (most clusters). With {@code https://} the first connection pays it instead; the context is
 * the same.
 */
final class DeferredDefaultTls extends SSLContext {

  private DeferredDefaultTls() {
    super(new Spi(), null, "Default");
  }

  /**
   * A context for {@link java.net.http.HttpClient.Builder#sslContext}; pass
   * {@link #parameters()} to {@code sslParameters} as well, or the client asks the context for
   * its defaults at once.
   */
  static SSLContext create() {
    return new DeferredDefaultTls();
  }

  /** No protocol or cipher choice: the engine keeps the default context's own. */
  static SSLParameters parameters() {
    return new SSLParameters();
  }

  private static final class Spi extends SSLContextSpi {
    private volatile SSLContext real;

    private SSLContext real() {
      SSLContext r = real;
      if (r == null) {
        try {
          r = SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("the JDK has no default TLS context: " + e.getMessage(), e);
        }
        real = r;
      }
      return r;
    }

    @Override
    protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) {
      throw new UnsupportedOperationException("the default TLS context is initialised by the JDK");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return real().getSocketFactory();
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return real().getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return real().createSSLEngine();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return real().createSSLEngine(host, port);
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return real().getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return real().getClientSessionContext();
    }

    @Override
    protected SSLParameters engineGetDefaultSSLParameters() {
      return real().getDefaultSSLParameters();
    }

    @Override
    protected SSLParameters engineGetSupportedSSLParameters() {
      return real().getSupportedSSLParameters();
    }
  }
}
