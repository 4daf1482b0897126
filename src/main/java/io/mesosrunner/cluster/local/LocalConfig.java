package io.mesosrunner.cluster.local;

import io.mesosrunner.match.PortRange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the embedded local cluster offers and where it runs tasks. Immutable.
 *
 * <p>{@link #defaults(Path)} fills in this machine: all its processors, its physical memory minus
 * a margin (a quarter of it, at most 1 GiB), the usable space of the run directory's file system,
 * no GPUs, ports 31000-32000, the local host name, a 3 s grace period between SIGTERM and SIGKILL,
 * and the system clock.
 *
 * @param cpus      cpus offered, &gt; 0
 * @param memMb     memory offered in MiB, &gt; 0
 * @param diskMb    disk offered in MiB, &ge; 0
 * @param gpus      whole GPUs offered, &ge; 0
 * @param ports     the port range offered
 * @param runDir    sandboxes go in {@code runDir/<taskId>/} (files {@code stdout}, {@code stderr})
 * @param hostname  the host name put on offers (the {@code hostname} constraint attribute)
 * @param killGrace time between SIGTERM and SIGKILL when a task is killed, &ge; 0
 * @param clock     the clock refuse filters are timed with
 * @param starter   how task processes are started ({@link Starter#AUTO} by default)
 * @param tailOutput whether task output is followed and delivered as lines (true by default); the
 *                  sandbox files are written either way
 * @param uriBase   the directory a relative path in {@code uris} is resolved against (the job
 *                  file's; the working directory by default)
 */
public record LocalConfig(
    double cpus,
    double memMb,
    double diskMb,
    int gpus,
    PortRange ports,
    Path runDir,
    String hostname,
    Duration killGrace,
    Clock clock,
    Starter starter,
    boolean tailOutput,
    Path uriBase) {

  /** How task processes are started; see {@link ProcessStarter}. */
  public enum Starter {
    /** Through a Perl spawner where Perl runs, else through the JDK. */
    AUTO,
    /** Through a Perl spawner (one fork and one exec per task); the cluster fails to start without Perl. */
    PERL,
    /** Through the JDK's process builder with {@code setsid} in front (an extra exec per task). */
    JDK
  }

  /** Ports offered by default, as a Mesos agent does. */
  public static final PortRange DEFAULT_PORTS = new PortRange(31000, 32000);

  /** Default time between SIGTERM and SIGKILL. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(3);

  private static final long MIB = 1024L * 1024L;

  public LocalConfig {
    if (!(cpus > 0) || Double.isInfinite(cpus)) {
      throw new IllegalArgumentException("cpus (" + cpus + ") must be a finite number > 0");
    }
    if (!(memMb > 0) || Double.isInfinite(memMb)) {
      throw new IllegalArgumentException("memMb (" + memMb + ") must be a finite number > 0");
    }
    if (!(diskMb >= 0) || Double.isInfinite(diskMb)) {
      throw new IllegalArgumentException("diskMb (" + diskMb + ") must be a finite number >= 0");
    }
    if (gpus < 0) {
      throw new IllegalArgumentException("gpus (" + gpus + ") must be >= 0");
    }
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(hostname, "hostname");
    if (hostname.isBlank()) {
      throw new IllegalArgumentException("hostname ('" + hostname + "') must not be blank");
    }
    Objects.requireNonNull(killGrace, "killGrace");
    if (killGrace.isNegative()) {
      throw new IllegalArgumentException("killGrace (" + killGrace + ") must be >= 0");
    }
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(starter, "starter");
  }

  /** This machine's resources, with sandboxes under {@code runDir}. */
  public static LocalConfig defaults(Path runDir) {
    return new LocalConfig(
        Runtime.getRuntime().availableProcessors(),
        defaultMemMb(),
        defaultDiskMb(runDir),
        0,
        DEFAULT_PORTS,
        runDir,
        defaultHostname(),
        DEFAULT_KILL_GRACE,
        Clock.systemUTC(),
        defaultStarter(),
        true,
        Path.of("").toAbsolutePath());
  }

  /** A run directory under the system's temporary directory: {@code <tmp>/mesos-runner-<user>}. */
  public static Path defaultRunDir() {
    return Path.of(System.getProperty("java.io.tmpdir"), "mesos-runner-" + System.getProperty("user.name"));
  }

  public LocalConfig withCpus(double value) {
    return new LocalConfig(value, memMb, diskMb, gpus, ports, runDir, hostname, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withMemMb(double value) {
    return new LocalConfig(cpus, value, diskMb, gpus, ports, runDir, hostname, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withDiskMb(double value) {
    return new LocalConfig(cpus, memMb, value, gpus, ports, runDir, hostname, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withGpus(int value) {
    return new LocalConfig(cpus, memMb, diskMb, value, ports, runDir, hostname, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withPorts(PortRange value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, value, runDir, hostname, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withHostname(String value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, value, killGrace, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withKillGrace(Duration value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, hostname, value, clock, starter, tailOutput, uriBase);
  }

  public LocalConfig withClock(Clock value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, hostname, killGrace, value, starter, tailOutput, uriBase);
  }

  public LocalConfig withStarter(Starter value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, hostname, killGrace, clock, value, tailOutput, uriBase);
  }

  public LocalConfig withUriBase(Path value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, hostname, killGrace, clock, starter, tailOutput,
        value.toAbsolutePath().normalize());
  }

  public LocalConfig withTailOutput(boolean value) {
    return new LocalConfig(cpus, memMb, diskMb, gpus, ports, runDir, hostname, killGrace, clock, starter, value, uriBase);
  }

  /**
   * {@link Starter#AUTO}, unless the system property {@code runner.local.starter} names another
   * ({@code perl} or {@code jdk}, e.g. to compare them: {@code java -Drunner.local.starter=jdk -jar ...}).
   */
  static Starter defaultStarter() {
    String name = System.getProperty("runner.local.starter", "auto");
    try {
      return Starter.valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("runner.local.starter ('" + name + "') must be auto, perl or jdk");
    }
  }

  /** Physical memory minus a margin for the system and the runner: a quarter, at most 1 GiB. */
  static double defaultMemMb() {
    long totalMb = 4096;
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      totalMb = os.getTotalMemorySize() / MIB;
    }
    long margin = Math.min(1024, totalMb / 4);
    return Math.max(1, totalMb - margin);
  }

  /** Usable space of the file system that holds {@code runDir} (or its nearest existing parent). */
  static double defaultDiskMb(Path runDir) {
    Path p = runDir.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    if (p == null) {
      return 0;
    }
    try {
      return Files.getFileStore(p).getUsableSpace() / MIB;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The local host name, or {@code localhost} when it cannot be found. */
  static String defaultHostname() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
