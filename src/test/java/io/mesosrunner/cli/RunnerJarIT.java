package io.mesosrunner.cli;

import io.mesosrunner.testing.Await;
import java.time.Duration;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the built jar as a separate process, as a user would. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RunnerJarIT {

  @TempDir Path tmp;

  private Process start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** The jar with {@code args}, run through {@code prefix} (a command that execs the rest). */
  private Process start(List<String> prefix, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(List.of(javaBin(), "-jar", jar()));
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
    // Standard output is the tasks' stdout alone; the summary is the runner's own text, on stderr.
    assertThat(out().lines().sorted()).containsExactly("[hello-world/0] hello world", "[hello-world/1] hello world",
        "[hello-world/2] hello world");
    assertThat(err()).contains("hello-world: succeeded", "3 of 3 completed");
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

  /** Waits (30 s at most) until the tasks have written {@code n} pid files into {@code pids}. */
  private void awaitPidFiles(Path pids, int n) throws Exception {
    try {
      Await.until(n + " pid files in " + pids, Duration.ofSeconds(30), () -> countFiles(pids) >= n);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the runner's stderr: " + err(), e);
    }
    assertThat(countFiles(pids)).isEqualTo(n);
  }

  /** No process whose pid a task wrote into {@code pids} is still running. */
  private static void assertNoneRunning(Path pids) throws Exception {
    try (var files = Files.list(pids)) {
      for (Path f : files.toList()) {
        long pid = Long.parseLong(Files.readString(f).trim());
        assertThat(running(pid)).as("pid %d from %s", pid, f).isFalse();
      }
    }
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
    awaitPidFiles(pids, 6);
    // Each task's 'started' on the runner's stdout: the runner has the tasks as running.
    Await.until("the runner printed the three tasks' 'started'", Duration.ofSeconds(30),
        () -> out().split("started", -1).length - 1 >= 3);
    p.toHandle().destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isEqualTo(130);
    assertThat(err()).contains("long: interrupted");
    assertNoneRunning(pids);
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
    // A build started under nohup hands every child SIGHUP ignored, and the JVM then leaves it
    // ignored (as nohup means it to be): the runner gets SIGHUP's default disposition back here.
    Process p = start(List.of("env", "--default-signal=HUP"), job.toString(), "--state-dir", state.toString());
    awaitPidFiles(pids, 2);
    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start();
    assertThat(hup.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(err()).isEqualTo(130);
    assertThat(err()).contains("hangup: interrupted");
    assertNoneRunning(pids);
    // The journal was closed with every task's end: nothing is left RUNNING in it.
    io.mesosrunner.state.RunState run = io.mesosrunner.state.JobStore.status(state, "hangup").orElseThrow();
    assertThat(run.unsettled()).isEmpty();
    // status exits with the state's code (README, "Run states"): interrupted, resumable.
    Cli.run("status", job.toString(), "--state-dir", state.toString()).exitedWith(130)
        .outContains("hangup: run ", "interrupted (exit 130)", "run the same command to resume it");
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
    assertThat(err()).contains("could not run: 3 attempts failed; cannot reach master at http://127.0.0.1:1");
  }

  /** What a finished process wrote, as bytes. */
  private record Finished(int exit, byte[] out, byte[] err) {
    String errText() {
      return new String(err, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs the jar with no locale in its environment (as {@code env -u LANG -u LC_ALL -u LC_CTYPE}
   * in a bare container): the JVM's default charset is then US-ASCII, not UTF-8.
   */
  private Finished runWithoutLocale(String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", jar()));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve(name + ".out");
    Path err = tmp.resolve(name + ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    withoutLocale(pb.environment());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Finished(p.exitValue(), Files.readAllBytes(out), Files.readAllBytes(err));
  }

  private static void withoutLocale(Map<String, String> env) {
    env.remove("MESOS_MASTER");
    env.remove("LANG");
    env.remove("LANGUAGE");
    env.keySet().removeIf(k -> k.startsWith("LC_"));
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] bs = part instanceof byte[] raw ? raw : part.toString().getBytes(StandardCharsets.UTF_8);
      b.write(bs, 0, bs.length);
    }
    return b.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** UTF-8 text with letters outside ASCII, then two bytes that are no UTF-8 at all. */
  private static final byte[] TASK_STDOUT = bytes("caf\u00e9 \u2713 \u65e5\u672c ", new byte[] {(byte) 0xff, (byte) 0xfe},
      " end");
  private static final byte[] TASK_STDERR = bytes("err \u00e9 \u2713 ", new byte[] {(byte) 0xff});

  @Test
  void taskOutputBytesPassThroughUnchangedWhenTheRunnersLocaleIsNotUtf8() throws Exception {
    // The premise: with no locale this JVM's default charset is not UTF-8 (it is US-ASCII).
    ProcessBuilder settings = new ProcessBuilder(javaBin(), "-XshowSettings:properties", "-version").redirectErrorStream(true)
        .redirectOutput(tmp.resolve("settings").toFile());
    withoutLocale(settings.environment());
    Process probe = settings.start();
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(tmp.resolve("settings"))).containsPattern("file.encoding = (ANSI_X3.4-1968|US-ASCII)");

    Path job = tmp.resolve("bytes.yaml");
    // printf's octal escapes: the job file itself stays ASCII.
    Files.writeString(job, """
        name: bytes
        command: |
          printf 'caf\\303\\251 \\342\\234\\223 \\346\\227\\245\\346\\234\\254 \\377\\376 end\\n'
          printf 'err \\303\\251 \\342\\234\\223 \\377\\n' >&2
          exit 3
        cpus: 0.1
        mem: 16
        retries: 0
        """);
    String state = tmp.resolve("state").toString();
    Finished run = runWithoutLocale("run", job.toString(), "--state-dir", state);
    assertThat(run.exit()).as(run.errText()).isEqualTo(1);
    // Byte for byte after the tag, on stdout and on stderr, with the line's end.
    assertThat(indexOf(run.out(), bytes("[bytes/0] ", TASK_STDOUT, "\n"))).as(new String(run.out(), StandardCharsets.UTF_8))
        .isZero();
    assertThat(indexOf(run.err(), bytes("\n[bytes/0] ", TASK_STDERR, "\n"))).as(run.errText()).isNotNegative();
    // The summary quotes the stderr tail as text: the letters survive (the stray byte cannot be text).
    assertThat(run.errText()).contains("    stderr| err \u00e9 \u2713 \ufffd\n");

    // runner logs: tagged, every instance; then one instance as written; then its stderr.
    Finished tagged = runWithoutLocale("logs", "logs", "bytes", "--state-dir", state);
    assertThat(tagged.exit()).as(tagged.errText()).isZero();
    assertThat(tagged.out()).isEqualTo(bytes("[bytes/0] ", TASK_STDOUT, "\n"));
    Finished one = runWithoutLocale("logs0", "logs", "bytes", "0", "--state-dir", state);
    assertThat(one.exit()).as(one.errText()).isZero();
    assertThat(one.out()).isEqualTo(bytes(TASK_STDOUT, "\n"));
    Finished stderr = runWithoutLocale("logs0err", "logs", "bytes", "0", "--stderr", "--state-dir", state);
    assertThat(stderr.exit()).as(stderr.errText()).isZero();
    assertThat(stderr.err()).isEqualTo(bytes(TASK_STDERR, "\n"));
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
