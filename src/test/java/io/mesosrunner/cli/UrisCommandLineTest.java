package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code uris} on the local cluster (fetched as the Mesos fetcher does) and as passed to Mesos. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UrisCommandLineTest {

  @TempDir Path tmp;
  private HttpServer http;

  @AfterEach
  void stopHttp() {
    if (http != null) http.stop(0);
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  private Path write(String name, String text) throws IOException {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
    return f;
  }

  /** The README's headline example, exactly: etl.sh next to the job file, run from elsewhere. */
  @Test
  void theReadmeEtlExampleRunsOnTheLocalCluster() throws IOException {
    Path script = write("jobs/etl.sh", "#!/bin/sh\necho \"etl shard $2 in $(basename \"$PWD\")\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path job = write("jobs/etl.yaml", """
        version: 1
        name: nightly-etl
        command: ./etl.sh --shard $RUNNER_INSTANCE
        cpus: 0.5
        mem: 64MiB
        instances: 3
        retries: 0
        uris: [etl.sh]
        """);
    CliResult r = Cli.run(job.toString(), "--state-dir", state()).exitedWith(0)
        .outContains("[nightly-etl/0] etl shard 0 in ", "[nightly-etl/1] etl shard 1", "[nightly-etl/2] etl shard 2")
        .errContains("3 of 3 completed");
    assertThat(r.out()).doesNotContain("not found");
  }

  @Test
  void executableMakesACopiedFileRunnable() throws IOException {
    write("jobs/tool.sh", "#!/bin/sh\necho tool ran\n"); // not executable in the job's directory
    Path job = write("jobs/t.yaml", """
        version: 1
        name: tool
        command: ./tool.sh
        cpus: 0.1
        mem: 16
        retries: 0
        uris: [{value: tool.sh, executable: true}]
        """);
    Cli.run(job.toString(), "--state-dir", state(), "--no-prefix").exitedWith(0).outContains("tool ran").errContains("1 of 1 completed");
  }

  @Test
  void httpArchivesAreDownloadedAndExtractedUnlessExtractIsFalse() throws IOException {
    Path tree = Files.createDirectories(tmp.resolve("tree/bin"));
    Files.writeString(tree.resolve("hello.txt"), "from the tarball\n");
    Process tar = new ProcessBuilder("tar", "-C", tmp.resolve("tree").toString(), "-czf",
        tmp.resolve("tool.tgz").toString(), "bin").inheritIO().start();
    try {
      assertThat(tar.waitFor()).isZero();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
      zip.putNextEntry(new ZipEntry("conf/app.conf"));
      zip.write("from the zip\n".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    byte[] tgz = Files.readAllBytes(tmp.resolve("tool.tgz"));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/", ex -> {
      String path = ex.getRequestURI().getPath();
      byte[] body = path.endsWith(".tgz") ? tgz : path.endsWith(".zip") ? zipBytes.toByteArray() : null;
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
      }
      ex.close();
    });
    http.start();
    String base = "http://127.0.0.1:" + http.getAddress().getPort();
    Path job = write("h.yaml", "version: 1\nname: fetched\ncpus: 0.1\nmem: 16\nretries: 0\n"
        + "command: 'cat bin/hello.txt conf/app.conf && test -f kept.tgz && test ! -e kept/bin && echo archive kept'\n"
        + "uris: [" + base + "/dl/tool.tgz, " + base + "/app.zip, {value: " + base + "/kept.tgz, extract: false}]\n");
    Cli.run(job.toString(), "--state-dir", state(), "--no-prefix").exitedWith(0)
        .outContains("from the tarball", "from the zip", "archive kept").errContains("1 of 1 completed");

    Path missing = write("m.yaml", "version: 1\nname: missing\ncpus: 0.1\nmem: 16\nretries: 0\ncommand: 'true'\n"
        + "uris: [" + base + "/nothing.sh]\n");
    Cli.run(missing.toString(), "--state-dir", state()).exitedWith(1)
        .errContains("Failed to fetch uris[0] '" + base + "/nothing.sh': HTTP 404");
  }

  @Test
  void aMissingFileFailsTheTaskWithTheReasonAndItsPath() throws IOException {
    Path job = write("jobs/m.yaml", """
        version: 1
        name: nofile
        command: ./etl.sh
        cpus: 0.1
        mem: 16
        retries: 0
        uris: [etl.sh]
        """);
    CliResult r = Cli.run(job.toString(), "--state-dir", state(), "-q").exitedWith(1)
        .errContains("TASK_FAILED", "Failed to fetch uris[0] 'etl.sh': no such file " + tmp.resolve("jobs/etl.sh").toAbsolutePath());
    assertThat(r.err()).doesNotContain("exit code 127");
  }

  @Test
  void mesosGetsExecutableAndExtractInTheCommandInfo() throws IOException {
    try (TestMaster master = TestMaster.builder().allocationInterval(Duration.ofMillis(50))
        .stepDelay(Duration.ofMillis(5)).heartbeatInterval(Duration.ofSeconds(2))
        .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(20))).build().start()) {
      master.addAgent(AgentSpec.standard());
      Path job = write("mesos.yaml", """
          version: 1
          name: fetcher
          command: ./etl.sh
          cpus: 0.1
          mem: 16
          uris:
            - https://example.org/tool.tgz
            - {value: https://example.org/raw.tgz, extract: false}
            - {value: https://example.org/etl.sh, executable: true}
          """);
      Cli.run(job.toString(), "--state-dir", state(), "--master", master.uri().toString(), "-q").exitedWith(0);
      assertThat(master.launchedTasks()).hasSize(1);
      assertThat(master.launchedTasks().get(0).getCommand().getUrisList())
          .extracting(u -> u.getValue() + " executable=" + u.getExecutable() + " extract=" + u.getExtract())
          .containsExactly("https://example.org/tool.tgz executable=false extract=true",
              "https://example.org/raw.tgz executable=false extract=false",
              "https://example.org/etl.sh executable=true extract=false");
    }
  }
}
