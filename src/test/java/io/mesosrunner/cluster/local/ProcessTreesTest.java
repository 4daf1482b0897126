package io.mesosrunner.cluster.local;

import java.time.Duration;
import io.mesosrunner.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcessTreesTest {

  /** Group signals that never arrive: only the direct signals reach the processes. */
  private static final ProcessTrees.GroupSignals NO_GROUPS = new ProcessTrees.GroupSignals() {
    @Override
    public boolean usesProcessGroups() {
      return false;
    }

    @Override
    public void signalGroups(List<Long> groups, String signal) {}
  };

  /**
   * Descendants whose iteration stalls after each one, as the signalling thread may be
   * descheduled between two kills on a loaded machine.
   */
  private static final class SlowSet extends LinkedHashSet<ProcessHandle> {
    @Override
    public Iterator<ProcessHandle> iterator() {
      Iterator<ProcessHandle> it = super.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public ProcessHandle next() {
          ProcessHandle h = it.next();
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return h;
        }
      };
    }
  }

  @Test
  @Timeout(20)
  void aKilledShellDiesOfTheSignalEvenWhenItsChildIsKilledLongBeforeIt() throws Exception {
    // A shell waiting for its child: if the child died first, `wait` would return and the shell
    // exit 0, and the killed task would be reported as "Command exited with status 0".
    Process shell = new ProcessBuilder("/bin/sh", "-c", "trap '' TERM; sleep 100 & echo $!; wait")
        .redirectErrorStream(true).start();
    long child;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8))) {
      child = Long.parseLong(r.readLine().trim());
      ProcessTrees trees = new ProcessTrees(NO_GROUPS);
      trees.signal(shell.pid(), new SlowSet(), true);
      assertThat(shell.waitFor(5, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(shell.exitValue()).isEqualTo(128 + 9);
    Await.until("the child " + child + " ends", Duration.ofSeconds(5),
        () -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
  }
}
