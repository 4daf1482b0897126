package io.mesosrunner.cluster.local;

/**
 * How the JDK starts the local cluster's child processes. A class of its own, with nothing to
 * initialise: {@code main} calls it first thing in every command, and reaching it through
 * {@link LocalCluster} would set up logging and load the cluster's classes on the start-up path
 * of commands that never start a local task (130-250 ms before a Mesos run's SUBSCRIBE).
 */
public final class ProcessSpawning {

  private ProcessSpawning() {}

  /**
   * Asks the JDK to start child processes with {@code vfork} instead of {@code posix_spawn}
   * through its {@code jspawnhelper}, which costs an extra exec per process: it halved the cost of
   * every task started by {@link JdkProcessStarter} (see bench/RESULTS.md, "Measurements kept out
   * of the code"), and it makes the Perl spawner and {@code kill} commands cheaper to start too. Sets the system property
   * {@code jdk.lang.Process.launchMechanism} unless it is set already, on Linux only. It takes
   * effect only if called before the JVM starts its first child process, so {@code main} should
   * call it first thing. Returns whether the property now asks for {@code VFORK}.
   *
   * <p>Only before Java 21: later JDKs deprecate {@code VFORK} and print a four-line warning on
   * stderr at the first child process (seen on Temurin 25), a cost no user should see.
   */
  public static boolean preferVfork() {
    String key = "jdk.lang.Process.launchMechanism";
    if (System.getProperty(key) == null && Runtime.version().feature() < 21
        && System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
      System.setProperty(key, "VFORK");
    }
    return "VFORK".equalsIgnoreCase(System.getProperty(key));
  }
}
