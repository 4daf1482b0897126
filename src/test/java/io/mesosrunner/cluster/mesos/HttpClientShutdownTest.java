package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpClientShutdownTest {

  private HttpServer server;
  private URI uri;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.start();
    uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private int get(HttpClient client) throws Exception {
    return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void stopsTheClientsOwnSelectorThreadAndNoOtherClients() throws Exception {
    HttpClient stopped = HttpClient.newHttpClient();
    HttpClient other = HttpClient.newHttpClient();
    assertThat(get(stopped)).isEqualTo(200);
    assertThat(get(other)).isEqualTo(200);
    Thread selector = HttpClientShutdown.selectorThread(stopped);
    Thread otherSelector = HttpClientShutdown.selectorThread(other);
    assertThat(selector).isNotNull().isNotSameAs(otherSelector);
    assertThat(otherSelector).isNotNull();

    assertThat(HttpClientShutdown.stop(stopped)).isTrue();
    selector.join(30_000);

    // A thread waiting in native code at exit is what held every Mesos run's exit back by 300 ms.
    assertThat(selector.isAlive()).isFalse();
    assertThat(otherSelector.isAlive()).isTrue();
    assertThat(get(other)).isEqualTo(200);
  }
}
