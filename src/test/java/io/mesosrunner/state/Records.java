package io.mesosrunner.state;

import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/** Fixture factories for journal records, and a hand-made frame writer that follows the documented format. */
final class Records {

  private Records() {}

  static RunStarted started(String runId, int instances) {
    return new RunStarted(runId, "hello", "jobs/hello.yaml", "ab".repeat(32), "0123456789abcdef0123", "local",
        1_700_000_000_000L, instances, "name: hello\n");
  }

  static FrameworkRegistered registered(String id) {
    return new FrameworkRegistered(id);
  }

  static TaskLaunched launched(String taskId, int instance, int attempt) {
    return new TaskLaunched(taskId, instance, attempt, "agent-1", "host-1", 1_700_000_001_000L);
  }

  static TaskStateChanged changed(String taskId, String state, String cause) {
    Integer exit = null;
    if (state.equals("FINISHED")) exit = 0;
    if (state.equals("FAILED")) exit = 3;
    return new TaskStateChanged(taskId, state, exit, "msg " + state, cause, 1_700_000_002_000L);
  }

  static InstanceCompleted completed(int instance, String taskId) {
    return new InstanceCompleted(instance, taskId, 1_700_000_003_000L);
  }

  static InstanceFailed failed(int instance, String reason) {
    return new InstanceFailed(instance, reason, 1_700_000_004_000L);
  }

  static RunEnded ended(String outcome) {
    return new RunEnded(outcome, "because", 1_700_000_005_000L);
  }

  /** A frame as the format documents it: word (length | commit bit), CRC32C(word + payload), payload. */
  static byte[] frame(String json, boolean commit) {
    byte[] payload = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
    int word = payload.length | (commit ? 0x8000_0000 : 0);
    b.putInt(word);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 4);
    crc.update(payload);
    b.putInt((int) crc.getValue());
    b.put(payload);
    return b.array();
  }
}
