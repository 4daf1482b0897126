package io.mesosrunner.cluster.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts the processes of local tasks, each (where the machine allows) the leader of its own
 * session and process group, reports how they end, and signals whole process groups.
 *
 * <p>Two implementations: {@link PerlProcessStarter}, one helper process that forks and execs
 * every task (one fork and one exec per task, as a shell pays), and {@link JdkProcessStarter},
 * the JDK's {@link ProcessBuilder} with {@code setsid} in front (an extra exec per task), used
 * where Perl is missing. Thread-safe.
 */
interface ProcessStarter extends ProcessTrees.GroupSignals, AutoCloseable {

  /** How a start turns out; called on a thread of the starter's, {@link #ended} exactly once. */
  interface Callback {

    /** The process runs (it may have ended already) as {@code pid}, the id of its group too. */
    void started(long pid);

    /**
     * The process ended with {@code exitValue} (128 + N for death by signal N), or never ran:
     * then {@code startError} says why and {@code exitValue} is 127. Its sandbox then holds the
     * message in {@code stderr}.
     */
    void ended(int exitValue, String startError);

    /** The peak resident memory of the process (or of a descendant it waited for), when known; before {@link #ended}. */
    default void peakMemory(long kib) {}
  }

  /**
   * Starts {@code argv} in {@code sandbox} (created if missing, its working directory; its
   * {@code stdout} and {@code stderr} files take the output, stdin is {@code /dev/null}; the pid
   * and start time go in {@link LocalCluster#PID_FILE}) with this process's environment plus
   * {@code env}. Returns at once; the outcome goes to {@code callback}. No argument may contain
   * a NUL character.
   */
  void start(Path sandbox, Map<String, String> env, List<String> argv, Callback callback);

  /** The first of these paths that is an executable file, or null. */
  static String firstExecutable(String... candidates) {
    for (String c : candidates) {
      if (java.nio.file.Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  /** What this starter is, for messages: e.g. {@code perl spawner (pid 123)}. */
  String describe();

  /** Stops the starter; processes still running are left alone (kill them first). */
  @Override
  void close();
}
