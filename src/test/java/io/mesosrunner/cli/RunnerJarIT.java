package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built jar as a separate process, as a user would. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunnerJarIT {

  @TempDir Path tmp;

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile())
        .redirectError(tmp.resolve("err").toFile());
    pb.environment().remove("MESOS_MASTER");
    return pb.start();
  }

  private static String jar() {
    String jar = System.getProperty("runner.jar", "target/runner.jar");
    assertThat(Path.of(jar)).as("the runnable jar (mvn package)").exists();
    return jar;
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private String out() throws IOException {
    return Files.readString(tmp.resolve("out"), StandardCharsets.UTF_8);
  }

  private String err() throws IOException {
    return Files.readString(tmp.resolve("err"), StandardCharsets.UTF_8);
  }

  @Test
  void helloRunsFromTheJarAndExitsZero() throws Exception {
    Process p = start("jobs/hello.yaml", "--state-dir", tmp.resolve("state").toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isZero();
    assertThat(out()).contains("[hello-world/0] hello world", "[hello-world/2] hello world", "3 of 3 completed");
    // Not a terminal: no control characters in the log.
    assertThat(err()).doesNotContain("\033[").contains("running on the embedded local cluster");
  }

  @Test
  void aJobFileOnStandardInputIsReadByTheJar() throws Exception {
    List<String> cmd = List.of(javaBin(), "-jar", jar(), "validate", "-");
    Process p = new ProcessBuilder(cmd).redirectInput(Path.of("jobs", "hello.yaml").toFile())
        .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isZero();
    assertThat(out() + err()).contains("hello-world").doesNotContain("file is empty");
  }

  @Test
  void invalidFileFromTheJarExitsTwoWithoutAStackTrace() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "name: x\n\tcommand: y\n");
    Process p = start("validate", bad.toString());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err()).startsWith(bad + ":2:").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void sigtermKillsEveryTaskProcessTreeAndExits130() throws Exception {
    Path pids = tmp.resolve("pids");
    Files.createDirectories(pids);
    Path job = tmp.resolve("long.yaml");
    // Each instance starts a grandchild too, and records both pids.
    Files.writeString(job, """
        name: long
        command: 'sleep 120 & echo $! > %1$s/$RUNNER_INSTANCE.child; echo $$ > %1$s/$RUNNER_INSTANCE.sh; echo started; wait'
        cpus: 0.1
        mem: 16
        instances: 3
        """.formatted(pids));
    Process p = start(job.toString(), "--state-dir", tmp.resolve("state").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (countFiles(pids) < 6 && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(countFiles(pids)).as(err()).isEqualTo(6);
    Thread.sleep(300);
    p.toHandle().destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isEqualTo(130);
    assertThat(out()).contains("long: interrupted");
    try (var files = Files.list(pids)) {
      for (Path f : files.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim());
        assertThat(running(pid)).as("pid %d from %s", pid, f).isFalse();
      }
    }
  }

  @Test
  void sighupIsHandledLikeSigtermAndStatusThenSaysNoRunnerIsAttached() throws Exception {
    Path pids = tmp.resolve("pids");
    Files.createDirectories(pids);
    Path job = tmp.resolve("hangup.yaml");
    Files.writeString(job, """
        name: hangup
        command: 'echo $$ > %1$s/$RUNNER_INSTANCE.sh; echo started; exec sleep 120'
        cpus: 0.1
        mem: 16
        instances: 2
        """.formatted(pids));
    Path state = tmp.resolve("state");
    Process p = start(job.toString(), "--state-dir", state.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (countFiles(pids) < 2 && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(countFiles(pids)).as(err()).isEqualTo(2);
    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
    assertThat(hup.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isEqualTo(130);
    assertThat(out()).contains("hangup: interrupted");
    try (var files = Files.list(pids)) {
      for (Path f : files.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim());
        assertThat(running(pid)).as("pid %d from %s", pid, f).isFalse();
      }
    }
    // The journal was closed with every task's end: nothing is left RUNNING in it.
    io.mesosrunner.state.RunState run = io.mesosrunner.state.JobStore.status(state, "hangup").orElseThrow();
    assertThat(run.unsettled()).isEmpty();
    Cli.run("status", job.toString(), "--state-dir", state.toString()).exitedWith(0)
        .outContains("no runner is attached (pid " + p.pid() + " is gone); run the same command to resume");
  }

  @Test
  void anUnreachableMasterGetsOnePlainLinePerRetryAndNoLogLines() throws Exception {
    Process p = start("jobs/hello.yaml", "--state-dir", tmp.resolve("state").toString(), "--master", "127.0.0.1:1",
        "--connect-retries", "3");
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isEqualTo(3);
    List<String> lines = err().lines().toList();
    assertThat(lines).as(err()).noneMatch(l -> l.contains("WARN") || l.contains("ERROR") || l.contains("[mesos-"));
    assertThat(lines.stream().filter(l -> l.contains("retry")).toList()).as(err()).containsExactly(
        "runner: cannot reach master at http://127.0.0.1:1: connection refused; retry 1 of 2 in 0.5 s",
        "runner: cannot reach master at http://127.0.0.1:1: connection refused; retry 2 of 2 in 1 s");
    assertThat(out()).contains("could not run: 3 attempts failed; cannot reach master at http://127.0.0.1:1");
  }

  /** Whether a process exists and is not a zombie (a dead process its new parent has not reaped yet). */
  static boolean running(long pid) throws IOException {
    Path stat = Path.of("/proc/" + pid + "/stat");
    if (!Files.exists(stat)) return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    try {
      String s = Files.readString(stat);
      char state = s.charAt(s.lastIndexOf(')') + 2);
      return state != 'Z' && state != 'X';
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    }
  }

  private static long countFiles(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.filter(f -> {
        try {
          return Files.size(f) > 0;
        } catch (IOException e) {
          return false;
        }
      }).count();
    }
  }
}
