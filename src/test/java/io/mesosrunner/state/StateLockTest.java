package io.mesosrunner.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {

  @TempDir Path tmp;

  private final long myPid = ProcessHandle.current().pid();

  @Test
  void secondAcquireInTheSameProcessFailsNamingThePidAndReleaseAllowsIt() throws IOException {
    Path dir = tmp.resolve("hello");
    StateLock first = StateLock.acquire(dir);
    assertThat(Files.readString(dir.resolve("lock")).trim()).isEqualTo(Long.toString(myPid));
    assertThatThrownBy(() -> StateLock.acquire(dir))
        .isInstanceOfSatisfying(StateLockedException.class, e -> assertThat(e.holderPid()).isEqualTo(myPid))
        .hasMessageContaining("pid " + myPid);
    first.close();
    assertThat(first.isHeld()).isFalse();
    try (StateLock again = StateLock.acquire(dir)) {
      assertThat(again.isHeld()).isTrue();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anotherProcessHoldingTheLockIsNamedByPidAndItsExitFreesTheLock() throws Exception {
    Path dir = tmp.resolve("hello");
    Process holder = ChildJvm.start(LockHolderMain.class, "hold", dir.toString());
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> StateLock.acquire(dir))
          .isInstanceOfSatisfying(StateLockedException.class, e -> assertThat(e.holderPid()).isEqualTo(holder.pid()))
          .hasMessageContaining("in use by another runner (pid " + holder.pid() + ")");
      holder.getOutputStream().close();
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      holder.destroyForcibly();
    }
    try (StateLock lock = StateLock.acquire(dir)) {
      assertThat(Files.readString(dir.resolve("lock")).trim()).isEqualTo(Long.toString(myPid));
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aKilledHolderLeavesNoStaleLock() throws Exception {
    Path dir = tmp.resolve("hello");
    Process holder = ChildJvm.start(LockHolderMain.class, "hold", dir.toString());
    BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII));
    assertThat(out.readLine()).isEqualTo("locked");
    holder.destroyForcibly();
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    try (StateLock lock = StateLock.acquire(dir)) {
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aRefusedSecondAcquireInProcessDoesNotDropTheLockForOtherProcesses() throws Exception {
    Path dir = tmp.resolve("hello");
    try (StateLock lock = StateLock.acquire(dir)) {
      assertThatThrownBy(() -> StateLock.acquire(dir)).isInstanceOf(StateLockedException.class);
      Process other = ChildJvm.start(LockHolderMain.class, "try", dir.toString());
      String answer = new String(other.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(answer).startsWith("refused " + myPid + " ").contains("pid " + myPid);
    }
  }
}
