package io.mesosrunner.cluster.mesos;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP to the master's {@code /api/v1/scheduler}: the {@link HttpClient} (HTTP/1.1, TLS trusting
 * the configured CA, no automatic redirects), the Basic credentials put on every request, and
 * the 307s a non-leading master answers with (their {@code Location} has no scheme).
 *
 * <p>Holds no state of a subscription: the caller says where to send and with which stream id.
 * Thread-safe; {@link #post} blocks the calling thread until the master answers.
 */
final class SchedulerHttpClient {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(SchedulerHttpClient.class);
  static final String PROTOBUF = "application/x-protobuf";
  static final String STREAM_ID = "Mesos-Stream-Id";
  static final int MAX_REDIRECTS = 5;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String authorization;

  /** @throws IllegalArgumentException when the CA certificate cannot be read */
  SchedulerHttpClient(MesosConfig config) {
    HttpClient.Builder hb = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    // The client's own work (parsing an answer, completing its future) runs on its selector
    // thread instead of being handed to a pool thread first: one thread hand-off less per call
    // (about 30% of the adapter's CPU per call, see bench/ANALYSIS.md). Safe because nothing we
    // give the client blocks: answers are read into memory (ofString), the event stream's
    // ofInputStream only queues what the subscription thread asked for, calls are blocking
    // send()s, and the one dependent action on a future (the SUBSCRIBE answer) only enqueues.
    hb.executor(Runnable::run);
    useTls(hb, config);
    this.http = hb.build();
    this.authorization = authorization(config);
  }

  /** The underlying client, shared with the output tailer (same TLS and connection pool). */
  HttpClient http() {
    return http;
  }

  /** The HTTP Basic header value, or null without a principal. */
  String authorization() {
    return authorization;
  }

  /**
   * Sends SUBSCRIBE to {@code target}. The future completes with the answer's head; a 200's body
   * (the event stream) goes to {@code stream}, any other answer's body is read whole. A 307 is
   * returned as is, not followed.
   */
  CompletableFuture<HttpResponse<byte[]>> subscribe(URI target, Call subscribe, HttpResponse.BodySubscriber<byte[]> stream) {
    HttpRequest.Builder req = HttpRequest.newBuilder(target)
        .header("Content-Type", PROTOBUF)
        .header("Accept", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(subscribe.toByteArray()));
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return http.sendAsync(req.build(),
        info -> info.statusCode() == 200 ? stream : HttpResponse.BodySubscribers.ofByteArray());
  }

  /**
   * Posts one non-SUBSCRIBE call on stream {@code streamId} and expects 202, following up to
   * {@value #MAX_REDIRECTS} 307s. Returns the URI that accepted it ({@code target} unless the
   * call was redirected).
   */
  URI post(URI target, String streamId, Call call) throws IOException, InterruptedException, MesosHttpException {
    byte[] body = call.toByteArray();
    URI at = target;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpRequest.Builder req = HttpRequest.newBuilder(at)
          .timeout(CALL_TIMEOUT)
          .header("Content-Type", PROTOBUF)
          .header("Accept", PROTOBUF)
          .header(STREAM_ID, streamId)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (authorization != null) {
        req.header("Authorization", authorization);
      }
      HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      int status = resp.statusCode();
      if (status == 202 || status == 200) {
        log.trace("{} accepted", call.getType());
        return at;
      }
      if (status == 307) {
        at = resolveLocation(at, resp.headers().firstValue("Location").orElse(null));
        continue;
      }
      throw new MesosHttpException(status, call.getType().name(), resp.body());
    }
    throw new IOException("too many redirects for " + call.getType());
  }

  /** The HTTP Basic header value for the configured principal, or null. */
  static String authorization(MesosConfig config) {
    return config.principal() == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(
            (config.principal() + ":" + (config.secret() == null ? "" : config.secret())).getBytes(StandardCharsets.UTF_8));
  }

  /** TLS trusting {@code --ca-cert} when given, else the JDK's default context, built only when first used. */
  static HttpClient.Builder useTls(HttpClient.Builder hb, MesosConfig config) {
    if (config.caCert() != null) return hb.sslContext(sslContextTrusting(config));
    return hb.sslContext(DeferredDefaultTls.create()).sslParameters(DeferredDefaultTls.parameters());
  }

  static SSLContext sslContextTrusting(MesosConfig config) {
    try (InputStream in = Files.newInputStream(config.caCert())) {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : cf.generateCertificates(in)) {
        ks.setCertificateEntry("mesos-ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException("CA certificate file " + config.caCert() + " holds no certificate");
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use CA certificate " + config.caCert() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Resolves a 307's {@code Location} (often protocol-relative, {@code //host:port/path}) against
   * the URL that was called. A Location without a path names the master only, so the called
   * path is kept.
   */
  static URI resolveLocation(URI called, String location) {
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("redirect without a Location header from " + called);
    }
    URI resolved = called.resolve(location.trim());
    String path = resolved.getRawPath();
    if (path == null || path.isEmpty() || path.equals("/")) {
      resolved = URI.create(resolved.getScheme() + "://" + resolved.getRawAuthority() + called.getRawPath());
    }
    return resolved;
  }

  /** {@code scheme://host:port} of a URI, for messages. */
  static String base(URI uri) {
    if (uri == null) {
      return "(unknown)";
    }
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  /** A short text for an I/O failure. */
  static String describe(Throwable e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  static boolean sameAuthority(URI a, URI b) {
    return java.util.Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
  }
}
