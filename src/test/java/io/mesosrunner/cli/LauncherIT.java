package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/runner}, the launcher, run as a user runs it: from another directory, through a
 * symlink on PATH, from a tree whose path has spaces, with and without its class-data archive,
 * with no locale, under signals. Each test works on a copy of the launcher in a tree of its own
 * (bin/runner, target/runner.jar, maybe target/runner.jsa) so that archives can be broken freely.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LauncherIT {

  @TempDir Path tmp;
  private Path home;
  private Path launcher;

  @BeforeEach
  void installCopy() throws IOException {
    home = tmp.resolve("my tools/mesos runner");
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("target"));
    launcher = home.resolve("bin/runner");
    Files.copy(Path.of("bin/runner"), launcher);
    Files.createSymbolicLink(home.resolve("target/runner.jar"), jar().toAbsolutePath());
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("runner.jar", "target/runner.jar"));
    assertThat(jar).as("the runnable jar (mvn package)").exists();
    return jar;
  }

  /** The archive the build wrote next to the jar, with its identity file, copied into the tree. */
  private void copyBuiltArchive() throws IOException {
    Path built = jar().resolveSibling("runner.jsa");
    assertThat(built).as("mvn package writes the class-data archive").exists();
    assertThat(built.resolveSibling("runner.jsa.id")).exists();
    Files.copy(built, home.resolve("target/runner.jsa"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(built.resolveSibling("runner.jsa.id"), home.resolve("target/runner.jsa.id"));
  }

  private record Result(int code, String out, String err) {}

  private Process start(Path command, Path dir, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(command.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
    pb.environment().remove("MESOS_MASTER");
    pb.environment().remove("RUNNER_MASTER");
    pb.environment().remove("RUNNER_JAVA_OPTS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    env.forEach((k, v) -> {
      if (v == null) pb.environment().remove(k); else pb.environment().put(k, v);
    });
    return pb.start();
  }

  private Result run(Path command, Path dir, Map<String, String> env, String... args) throws Exception {
    Process p = start(command, dir, env, args);
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("the launcher ended").isTrue();
    return new Result(p.exitValue(), read("out"), read("err"));
  }

  private String read(String name) throws IOException {
    return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
  }

  private Path hello() {
    return Path.of("jobs/hello.yaml").toAbsolutePath();
  }

  @Test
  void runsFromAnyDirectoryThroughASymlinkOnPath() throws Exception {
    Path onPath = tmp.resolve("path bin");
    Files.createDirectories(onPath);
    // Two hops, the second relative, as /usr/bin/runner -> /opt/... -> ../bin/runner would be.
    Path relay = tmp.resolve("relay");
    Files.createDirectories(relay);
    Files.createSymbolicLink(relay.resolve("runner"), relay.relativize(launcher));
    Files.createSymbolicLink(onPath.resolve("runner"), relay.resolve("runner"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Result r = run(onPath.resolve("runner"), elsewhere, Map.of(), "validate", hello().toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("hello-world: 3 instances");
  }

  @Test
  void passesArgumentsWithSpacesAndExitCodesThrough() throws Exception {
    Path job = tmp.resolve("a dir/my job.yaml");
    Files.createDirectories(job.getParent());
    Files.writeString(job, "name: fails\ncommand: exit 7\ncpus: 0.1\nmem: 16\nretries: 0\n");
    Result failed = run(launcher, tmp, Map.of(), job.toString(), "--state-dir", tmp.resolve("state dir").toString());
    assertThat(failed.code()).as(failed.err()).isEqualTo(ExitCode.FAILED);

    Files.writeString(job, "name: bad\ncommand: x\ncpus: -1\nmem: 16\n");
    Result invalid = run(launcher, tmp, Map.of(), "validate", job.toString());
    assertThat(invalid.code()).isEqualTo(ExitCode.USAGE);
    assertThat(invalid.err()).startsWith(job + ":3:").doesNotContain("Exception");
  }

  @Test
  void usesTheBuiltArchiveOnTheJvmThatMadeIt() throws Exception {
    copyBuiltArchive();
    Result r = run(launcher, tmp, Map.of("RUNNER_JAVA_OPTS", "-Xlog:class+load=info"), "validate", hello().toString());
    assertThat(r.code()).as(r.err()).isZero();
    // Classes of the runner itself come from the archive, not from the jar.
    assertThat(r.out()).contains("io.mesosrunner.cli.ValidateCommand source: shared objects file (top)");
  }

  @Test
  void aForeignStaleOrDamagedArchiveNeverBreaksACommand() throws Exception {
    copyBuiltArchive();
    Path archive = home.resolve("target/runner.jsa");
    Path id = home.resolve("target/runner.jsa.id");
    // Made by another JVM: not used, silently.
    String realId = Files.readString(id);
    Files.writeString(id, "/opt/some-other-jdk 1 1 " + Files.size(archive) + "\n");
    assertQuietSuccess();
    // Cut short (a build interrupted while copying): the JVM would crash mapping it.
    Files.writeString(id, realId);
    byte[] bytes = Files.readAllBytes(archive);
    Files.write(archive, java.util.Arrays.copyOf(bytes, 4096));
    assertQuietSuccess();
    // Garbage of the right size under a matching identity: the JVM refuses the header quietly.
    byte[] garbage = new byte[bytes.length];
    new java.util.Random(7).nextBytes(garbage);
    Files.write(archive, garbage);
    assertQuietSuccess();
    // Older than the jar (the jar was rebuilt after it).
    Files.write(archive, bytes);
    Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(0));
    assertQuietSuccess();
    // No archive at all.
    Files.delete(archive);
    assertQuietSuccess();
  }

  private void assertQuietSuccess() throws Exception {
    Result r = run(launcher, tmp, Map.of(), "validate", hello().toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).isEqualTo(hello() + ": ok (hello-world: 3 instances of 'echo hello world', 0.1 cpus, 32 MiB each)\n");
  }

  @Test
  void fileNamesWithAccentsWorkWithNoLocale() throws Exception {
    // The names are made and passed by a script written as UTF-8 bytes: this test's own JVM may
    // have no locale either, and it could then neither create such a path nor pass it as an argument.
    Path script = tmp.resolve("accents.sh");
    Files.write(script, ("""
        set -e
        mkdir -p "données"
        cp "$1" "données/étl job.yaml"
        "$2" validate "données/étl job.yaml"
        "$2" "données/étl job.yaml" --state-dir "état"
        """).getBytes(StandardCharsets.UTF_8));
    Map<String, String> noLocale = new java.util.HashMap<>();
    noLocale.put("LANG", null);
    noLocale.put("LC_ALL", null);
    noLocale.put("LC_CTYPE", null);
    Result r = run(Path.of("/bin/sh"), tmp, noLocale, script.toString(), hello().toString(), launcher.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("données/étl job.yaml: ok");
    assertThat(r.out() + r.err()).contains("3 of 3 completed").doesNotContain("Exception");
  }

  @Test
  void noJavaAndNoJarSayWhatToDo() throws Exception {
    Files.delete(home.resolve("target/runner.jar"));
    Result noJar = run(launcher, tmp, Map.of(), "validate", hello().toString());
    assertThat(noJar.code()).isEqualTo(127);
    assertThat(noJar.err()).contains("no runner.jar").contains("mvn -q -DskipTests package");

    Files.createSymbolicLink(home.resolve("target/runner.jar"), jar().toAbsolutePath());
    // A PATH with every usual tool but java.
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    for (String dir : List.of("/usr/bin", "/bin")) {
      try (var entries = Files.list(Path.of(dir))) {
        for (Path tool : entries.toList()) {
          Path link = tools.resolve(tool.getFileName().toString());
          if (!tool.getFileName().toString().equals("java") && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, tool);
          }
        }
      }
    }
    Map<String, String> noJava = new java.util.HashMap<>();
    noJava.put("JAVA_HOME", null);
    noJava.put("PATH", tools.toString());
    Result none = run(Path.of("/bin/sh"), tmp, noJava, launcher.toString(), "validate", hello().toString());
    assertThat(none.code()).isEqualTo(127);
    assertThat(none.err()).contains("no Java found").contains("JAVA_HOME");
  }

  @Test
  void sigtermReachesTheRunnerWhichKillsItsTasksAndExits130() throws Exception {
    Path pids = Files.createDirectories(tmp.resolve("pids"));
    Path job = tmp.resolve("long.yaml");
    Files.writeString(job, """
        name: long
        command: 'echo $$ > %s/$RUNNER_INSTANCE; exec sleep 120'
        cpus: 0.1
        mem: 16
        instances: 2
        """.formatted(pids));
    Process p = start(launcher, tmp, Map.of(), job.toString(), "--state-dir", tmp.resolve("state").toString());
    Await.until("both tasks started", Duration.ofSeconds(60), () -> countFiles(pids) == 2);
    // The launcher execs the JVM: the process we started is the runner itself, not a shell.
    assertThat(p.toHandle().info().command().orElse("")).endsWith("/java");
    p.toHandle().destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(read("err")).isEqualTo(ExitCode.INTERRUPTED);
    try (var files = Files.list(pids)) {
      for (Path f : files.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("task pid %d", pid).isFalse();
      }
    }
  }

  private static long countFiles(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.count();
    }
  }
}
