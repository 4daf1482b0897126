package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb that {@code mvn -Pdeb package} builds, unpacked into a directory as dpkg would
 * install it, run with no Java anywhere on PATH and no JAVA_HOME. Runs only under -Pdeb.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PackageIT {

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private Result run(Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
        .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    pb.environment().clear();
    pb.environment().put("PATH", noJavaBin().toString());
    pb.environment().put("HOME", tmp.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    assertThat(p.waitFor(150, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8));
  }

  /** /usr/bin with every tool but java (Debian's java is a link there). */
  private Path noJavaBin() throws IOException {
    Path bin = tmp.resolve("usr-bin");
    if (!Files.isDirectory(bin)) {
      Files.createDirectories(bin);
      try (var tools = Files.list(Path.of("/usr/bin"))) {
        for (Path tool : tools.toList()) {
          if (!tool.getFileName().toString().startsWith("java")) {
            Files.createSymbolicLink(bin.resolve(tool.getFileName().toString()), tool);
          }
        }
      }
    }
    return bin;
  }

  private static Path deb() throws IOException {
    Path target = Path.of(System.getProperty("runner.jar", "target/runner.jar")).toAbsolutePath().getParent();
    try (var files = Files.list(target)) {
      List<Path> debs = files.filter(f -> f.getFileName().toString().endsWith(".deb")).toList();
      assertThat(debs).as("mvn -Pdeb package builds one .deb in target/").hasSize(1);
      return debs.get(0);
    }
  }

  @Test
  void theUnpackedPackageRunsHelloWithNoJavaInstalled() throws Exception {
    Path root = tmp.resolve("root");
    Result unpack = run(Map.of(), "dpkg-deb", "-x", deb().toString(), root.toString());
    assertThat(unpack.code()).as(unpack.err()).isZero();
    Path runner = root.resolve("usr/bin/runner");
    assertThat(Files.isSymbolicLink(runner)).isTrue();
    assertThat(root.resolve("opt/mesos-runner/runtime/bin/java")).isExecutable();
    Path hello = root.resolve("opt/mesos-runner/jobs/hello.yaml");

    Result validate = run(Map.of(), runner.toString(), "validate", hello.toString());
    assertThat(validate.code()).as(validate.err()).isZero();
    Result hi = run(Map.of(), runner.toString(), hello.toString(), "--state-dir", tmp.resolve("state").toString());
    assertThat(hi.code()).as(hi.err()).isZero();
    assertThat(hi.out()).contains("[hello-world/0] hello world");
    assertThat(hi.out() + hi.err()).contains("3 of 3 completed");
  }

  @Test
  void theInstallScriptTrainsAnArchiveThatTheBundledRuntimeUses() throws Exception {
    Path root = tmp.resolve("root");
    assertThat(run(Map.of(), "dpkg-deb", "-x", deb().toString(), root.toString()).code()).isZero();
    Path control = tmp.resolve("control");
    assertThat(run(Map.of(), "dpkg-deb", "-e", deb().toString(), control.toString()).code()).isZero();
    assertThat(Files.readString(control.resolve("control"))).contains("Package: mesos-runner");
    // postinst trains at /opt/mesos-runner; here the same command at the unpacked place.
    assertThat(Files.readString(control.resolve("postinst"))).contains("RUNNER_ARCHIVE_TRAIN=1 /opt/mesos-runner/bin/runner");
    Path runner = root.resolve("opt/mesos-runner/bin/runner");
    Result train = run(Map.of("RUNNER_ARCHIVE_TRAIN", "1"), runner.toString());
    assertThat(train.code()).as(train.err()).isZero();
    assertThat(root.resolve("opt/mesos-runner/lib/runner.jsa")).exists();
    Result r = run(Map.of("RUNNER_JAVA_OPTS", "-Xlog:class+load=info"), runner.toString(), "validate",
        root.resolve("opt/mesos-runner/jobs/hello.yaml").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("io.mesosrunner.cli.ValidateCommand source: shared objects file (top)");
  }

}
