package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.LineSplitter;
import io.mesosrunner.testing.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster keeps a Mesos agent's promises, seen through the jar with real processes:
 * task output comes back byte for byte, on the right stream, and no process outlives its task.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LocalAgentJarIT {

  @TempDir Path tmp;

  private Process start(String name, String... args) throws IOException {
    return start(java.util.Map.of(), name, args);
  }

  private Process start(java.util.Map<String, String> env, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve(name + ".out").toFile())
        .redirectError(tmp.resolve(name + ".err").toFile());
    pb.environment().remove("MESOS_MASTER");
    pb.environment().remove("RUNNER_MASTER");
    pb.environment().putAll(env);
    return pb.start();
  }

  private static String jar() {
    String jar = System.getProperty("runner.jar", "target/runner.jar");
    assertThat(Path.of(jar)).as("the runnable jar (mvn package)").exists();
    return jar;
  }

  private byte[] out(String name) throws IOException {
    return Files.readAllBytes(tmp.resolve(name + ".out"));
  }

  private String err(String name) throws IOException {
    return Files.readString(tmp.resolve(name + ".err"), StandardCharsets.UTF_8);
  }

  private int finish(Process p) throws InterruptedException {
    assertThat(p.waitFor(100, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  @Test
  void noPrefixGivesBackATenMebibyteLineWithoutANewlineByteForByteAndTheSummaryGoesToStderr() throws Exception {
    Path job = tmp.resolve("long-line.yaml");
    // 10 MiB of x and no newline, then a CRLF line and a last line with no newline but a CR.
    Files.writeString(job, """
        name: long-line
        command: "head -c 10485760 /dev/zero | tr '\\\\0' x; printf 'a\\\\r\\\\nb\\\\r'"
        cpus: 0.1
        mem: 32
        """);
    Process p = start("raw", job.toString(), "--no-prefix", "--state-dir", tmp.resolve("state").toString());
    assertThat(finish(p)).as(err("raw")).isZero();
    byte[] expected = new byte[10 * 1024 * 1024 + 5];
    Arrays.fill(expected, 0, 10 * 1024 * 1024, (byte) 'x');
    System.arraycopy(new byte[] {'a', '\r', '\n', 'b', '\r'}, 0, expected, 10 * 1024 * 1024, 5);
    byte[] out = out("raw");
    assertThat(out.length).isEqualTo(expected.length);
    assertThat(out).isEqualTo(expected);
    assertThat(err("raw")).contains("long-line: succeeded", "1 of 1 completed");

    // Tagged, the same line is cut at the documented length, the tag on every piece.
    Process tagged = start("tagged", job.toString(), "--state-dir", tmp.resolve("state2").toString());
    assertThat(finish(tagged)).as(err("tagged")).isZero();
    List<String> lines = List.of(new String(out("tagged"), StandardCharsets.ISO_8859_1).split("\n"));
    int pieces = 10 * 1024 * 1024 / LineSplitter.MAX_LINE_BYTES;
    assertThat(lines).hasSize(pieces + 2);
    assertThat(lines.subList(0, pieces)).allMatch(l -> l.equals("[long-line/0] " + "x".repeat(LineSplitter.MAX_LINE_BYTES)));
    assertThat(lines.get(pieces)).isEqualTo("[long-line/0] a");
    assertThat(lines.get(pieces + 1)).isEqualTo("[long-line/0] b\r");
  }

  /**
   * A job whose every instance starts a daemon in a session of its own and an orphan (a double
   * fork), records their pids, then ends as {@code ending} says.
   */
  private Path daemonJob(Path pids, String ending, String extra) throws IOException {
    Path job = tmp.resolve("daemons.yaml");
    Files.writeString(job, """
        name: daemons
        command: |
          setsid sleep 300 </dev/null >/dev/null 2>&1 &
          echo $! > %1$s/$RUNNER_INSTANCE.daemon
          ( setsid sh -c 'sleep 300 & echo $! > %1$s/'$RUNNER_INSTANCE'.orphan; wait' & ) </dev/null >/dev/null 2>&1
          while [ ! -s %1$s/$RUNNER_INSTANCE.orphan ]; do sleep 0.05; done
          echo started
          %2$s
        cpus: 0.1
        mem: 16
        retries: 0
        %3$s
        """.formatted(pids, ending, extra));
    return job;
  }

  private static List<Long> pidsIn(Path dir) throws IOException {
    List<Long> pids = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) pids.add(Long.parseLong(Files.readString(f).trim()));
    }
    return pids;
  }

  private static void awaitFiles(Path dir, int n) throws InterruptedException {
    Await.until(n + " pid files in " + dir, Duration.ofSeconds(60), () -> {
      try (var files = Files.list(dir)) {
        return files.filter(f -> {
          try {
            return Files.size(f) > 0;
          } catch (IOException e) {
            return false;
          }
        }).count() == n;
      }
    });
  }

  private static void awaitNoneRunning(Path pids) throws Exception {
    List<Long> all = pidsIn(pids);
    Await.until("no daemon of " + all + " running", Duration.ofSeconds(10),
        () -> all.stream().noneMatch(pid -> {
          try {
            return RunnerJarIT.running(pid);
          } catch (IOException e) {
            return true;
          }
        }));
  }

  @Test
  void daemonsThatLeftTheTasksSessionDieWithTheTaskOnSuccessFailureAndTimeout() throws Exception {
    Path pids = Files.createDirectories(tmp.resolve("pids"));
    // Instance 0 succeeds, 1 fails, 2 passes its timeout.
    Path job = daemonJob(pids, "case $RUNNER_INSTANCE in 0) exit 0 ;; 1) exit 3 ;; *) exec sleep 300 ;; esac",
        "instances: 3\ntimeout: 3s\non_failure: continue");
    Process p = start("run", job.toString(), "--state-dir", tmp.resolve("state").toString());
    try {
      assertThat(finish(p)).as(err("run")).isEqualTo(1);
      assertThat(pidsIn(pids)).hasSize(6);
      assertThat(err("run")).contains("instance 1 failed", "instance 2 failed");
      awaitNoneRunning(pids);
    } finally {
      for (long pid : pidsIn(pids)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void daemonsThatLeftTheTasksSessionDieWhenTheRunnerIsInterrupted() throws Exception {
    Path pids = Files.createDirectories(tmp.resolve("pids"));
    Path job = daemonJob(pids, "exec sleep 300", "instances: 1");
    Process p = start("run", job.toString(), "--state-dir", tmp.resolve("state").toString());
    try {
      awaitFiles(pids, 2);
      p.toHandle().destroy(); // SIGTERM, as Ctrl-C
      assertThat(finish(p)).as(err("run")).isEqualTo(130);
      awaitNoneRunning(pids);
    } finally {
      for (long pid : pidsIn(pids)) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aJobFileWithLettersOutsideAsciiInItsPathRunsWithNoLocaleSet() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("my jobs").resolve("donn\u00e9es"));
    Path job = dir.resolve("\u00e9tl job.yaml");
    Files.writeString(job, "name: etl\ncommand: echo d\u00e9j\u00e0 vu\ncpus: 0.1\nmem: 16\n");
    Path state = tmp.resolve("\u00e9tat");
    for (String[] args : List.of(new String[] {"validate", job.toString()},
        new String[] {job.toString(), "--state-dir", state.toString()})) {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", jar()));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("locale.out").toFile())
          .redirectError(tmp.resolve("locale.err").toFile());
      for (String v : List.of("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "MESOS_MASTER", "RUNNER_MASTER")) {
        pb.environment().remove(v);
      }
      Process p = pb.start();
      assertThat(finish(p)).as(err("locale")).isZero();
      assertThat(err("locale")).doesNotContain("Exception").doesNotContain("\tat ");
    }
    assertThat(new String(out("locale"), StandardCharsets.UTF_8)).isEqualTo("[etl/0] d\u00e9j\u00e0 vu\n");
    assertThat(state.resolve("etl")).isDirectory();
  }

  @Test
  void twoRunnersShareTheMachinesCpusAndTheOneThatWaitsSaysForWhom() throws Exception {
    int cpus = Runtime.getRuntime().availableProcessors();
    Path times = Files.createDirectories(tmp.resolve("times"));
    // Their own ledger, so that no other runner on this machine takes part.
    java.util.Map<String, String> env = java.util.Map.of("RUNNER_LOCAL_LEDGER_DIR", tmp.resolve("ledger").toString());
    List<String> names = List.of("whole-a", "whole-b");
    List<Process> runners = new ArrayList<>();
    for (String name : names) {
      Path job = tmp.resolve(name + ".yaml");
      Files.writeString(job, """
          name: %1$s
          command: 'date +%%s%%N > %2$s/%1$s.start; sleep 2; date +%%s%%N > %2$s/%1$s.end'
          cpus: %3$d
          mem: 16
          """.formatted(name, times, cpus));
      runners.add(start(env, name, job.toString(), "--state-dir", tmp.resolve("state-" + name).toString()));
    }
    for (int i = 0; i < 2; i++) assertThat(finish(runners.get(i))).as(err(names.get(i))).isZero();
    long[][] spans = new long[2][];
    for (int i = 0; i < 2; i++) {
      spans[i] = new long[] {Long.parseLong(Files.readString(times.resolve(names.get(i) + ".start")).trim()),
          Long.parseLong(Files.readString(times.resolve(names.get(i) + ".end")).trim())};
    }
    // Each asked for every cpu of the machine: one ran after the other.
    assertThat(spans[0][1] <= spans[1][0] || spans[1][1] <= spans[0][0]).as("%s %s", Arrays.toString(spans[0]),
        Arrays.toString(spans[1])).isTrue();
    int second = spans[0][0] < spans[1][0] ? 1 : 0;
    int first = 1 - second;
    assertThat(err(names.get(second))).contains("runner: local cpus held by runner pid " + runners.get(first).pid()
        + " (job " + names.get(first) + "); waiting for them to be free");
    assertThat(err(names.get(first))).doesNotContain("held by runner pid");
  }

  @Test
  void aTaskThatUsesFarMoreMemoryThanItAskedIsToldInOneLine() throws Exception {
    Path job = tmp.resolve("greedy.yaml");
    Files.writeString(job, """
        name: greedy
        command: perl -e '$x = "a" x (300 * 1024 * 1024); exit 0'
        cpus: 0.1
        mem: 1.5
        instances: 2
        """);
    Process p = start("greedy", job.toString(), "--state-dir", tmp.resolve("state").toString());
    assertThat(finish(p)).as(err("greedy")).isZero();
    List<String> warnings = err("greedy").lines().filter(l -> l.contains(" used ")).toList();
    assertThat(warnings).as(err("greedy")).hasSize(2).allSatisfy(l -> assertThat(l)
        .matches("runner: instance [01] used [0-9.]+ MiB, asked 1.5 MiB: on a Mesos agent with memory isolation it"
            + " would be killed"));
    for (String w : warnings) {
      double used = Double.parseDouble(w.replaceAll(".* used ([0-9.]+) MiB.*", "$1"));
      assertThat(used).isGreaterThan(300);
    }
  }
}
