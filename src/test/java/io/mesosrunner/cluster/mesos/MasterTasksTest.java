package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The master's operator endpoints as status and logs ask them: through a proxy path, with errors in one line. */
@Timeout(30)
class MasterTasksTest {

  private HttpServer server;
  private final List<String> asked = new CopyOnWriteArrayList<>();

  /** A proxy on 127.0.0.1 that serves the master under {@code /mesos} and answers anything else as {@code status} with {@code page}. */
  private String proxy(int status, String page) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      asked.add(ex.getRequestURI().toString());
      boolean tasks = ex.getRequestURI().getPath().equals("/mesos/master/tasks");
      byte[] body = (tasks ? "{\"tasks\":[{\"id\":\"t.0.1\",\"state\":\"TASK_RUNNING\",\"slave_id\":\"a1\"}]}" : page)
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", tasks ? "application/json" : "text/html");
      ex.sendResponseHeaders(tasks ? 200 : status, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  private static MesosConfig config(String master) {
    return MesosConfig.builder(MasterAddress.parse(master), "runner").build();
  }

  @Test
  void aMasterBehindAProxyPathIsAskedUnderThatPath() throws Exception {
    String base = proxy(404, "not here");
    List<MasterTasks.Task> tasks = MasterTasks.of(config(base + "/mesos"), "fw-1");
    assertThat(tasks).containsExactly(new MasterTasks.Task("t.0.1", "TASK_RUNNING", "a1"));
    assertThat(asked).allMatch(u -> u.startsWith("/mesos/master/tasks?framework_id=fw-1"));
  }

  @Test
  void anUnreachableMasterIsNamedWithTheReason() {
    assertThatThrownBy(() -> MasterTasks.of(config("127.0.0.1:1"), "fw-1"))
        .isInstanceOf(IOException.class)
        .hasMessage("cannot reach master at http://127.0.0.1:1: connection refused");
  }

  @Test
  void anHtmlErrorPageBecomesOneLineWithTheStatusTheCallAndItsText() throws Exception {
    String page = """
        <!DOCTYPE html>
        <html><head><title>502 Bad Gateway</title>
        <style>body { width: 35em; }</style></head>
        <body>
        <center><h1>502 Bad Gateway</h1></center>
        <hr><center>nginx/1.25.3</center>
        <p>The upstream &amp; its &lt;agents&gt; did not answer.</p>
        </body>
        </html>
        """;
    String base = proxy(502, page);
    assertThatThrownBy(() -> MasterTasks.of(config(base + "/elsewhere"), "fw-1"))
        .isInstanceOf(IOException.class)
        .hasMessage("GET /elsewhere/master/tasks answered 502: 502 Bad Gateway nginx/1.25.3"
            + " The upstream & its <agents> did not answer.");
  }

  @Test
  void aLongReplyIsCutToOneLine() {
    String longText = "word ".repeat(200);
    String line = MesosHttpException.oneLine("<html><body><p>" + longText + "</p>\n<p>more</p></body></html>");
    assertThat(line).hasSizeLessThanOrEqualTo(MesosHttpException.MAX_REPLY_CHARS).endsWith("...").doesNotContain("\n")
        .doesNotContain("<");
    assertThat(new MesosHttpException(503, "SUBSCRIBE", "<html>\n<h1>Service\nUnavailable</h1>\n</html>").getMessage())
        .isEqualTo("SUBSCRIBE answered 503: Service Unavailable");
    assertThat(MesosHttpException.oneLine("Framework is not subscribed\n")).isEqualTo("Framework is not subscribed");
  }
}
