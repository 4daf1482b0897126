package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A job that can never fit the local cluster ends at once, exit 2, with the shortfall in numbers. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalFitCommandLineTest {

  @TempDir Path tmp;

  private Path job(String extra) throws IOException {
    Path f = tmp.resolve("big.yaml");
    String base = (extra.contains("cpus:") ? "" : "cpus: 0.1\n") + (extra.contains("mem:") ? "" : "mem: 32\n");
    Files.writeString(f, "version: 1\nname: big\ncommand: 'true'\n" + base + extra);
    return f;
  }

  private String state() {
    return tmp.resolve("state").toString();
  }

  private CliResult run(Path job, String... more) {
    String[] args = new String[more.length + 3];
    args[0] = job.toString();
    args[1] = "--state-dir";
    args[2] = state();
    System.arraycopy(more, 0, args, 3, more.length);
    return Cli.run(args);
  }

  @Test
  void tooManyCpusEndsAtOnceWithTheShortfallAndRecordsNoRun() throws IOException {
    long t0 = System.nanoTime();
    run(job("cpus: 4\n"), "--local-cpus", "2").exitedWith(2)
        .errContains("big can never start on the local cluster", "cpus: asked 4, the local cluster has 2", "--master");
    assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(10));
    assertThat(tmp.resolve("state")).doesNotExist();
  }

  @Test
  void tooMuchMemoryIsShownWithUnits() throws IOException {
    run(job("mem: 64GiB\n"), "--local-mem", "22.5GiB").exitedWith(2)
        .errContains("mem: asked 64 GiB, the local cluster has 22.5 GiB");
  }

  @Test
  void quietStillSaysWhy() throws IOException {
    CliResult r = run(job("mem: 64GiB\n"), "--local-mem", "22.5GiB", "-q").exitedWith(2)
        .errContains("mem: asked 64 GiB, the local cluster has 22.5 GiB");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void tooManyPortsAndTooMuchDiskAreBothListed() throws IOException {
    run(job("ports: 2000\ndisk: 10000TiB\n")).exitedWith(2)
        .errContains("ports: asked 2000, the local cluster has 1001 (31000-32000)", "disk: asked 9.8 PiB, the local cluster has ");
  }

  @Test
  void aConstraintOnAnAttributeTheLocalClusterLacksNeverFits() throws IOException {
    run(job("constraints: [\"rack LIKE r[1-3]\"]\n")).exitedWith(2)
        .errContains("constraint rack LIKE r[1-3]: the local cluster has no attribute rack");
  }

  @Test
  void constraintsTheLocalClusterMeetsDoNotStopTheRun() throws IOException {
    run(job("instances: 2\nconstraints: [\"hostname UNIQUE\", \"rack UNLIKE r9\"]\n"), "-q").exitedWith(0)
        .errContains("2 of 2 completed");
  }

  @Test
  void planExitsNonZeroWhenNothingCouldEverStart() throws IOException {
    Cli.run("plan", job("cpus: 4\n").toString(), "--local-cpus", "2", "--state-dir", state()).exitedWith(2)
        .errContains("cpus: asked 4, the local cluster has 2");
  }
}
