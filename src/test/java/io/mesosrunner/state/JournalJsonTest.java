package io.mesosrunner.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reading journal JSON the way the databind-based journal read it, and refusing what it refused. */
class JournalJsonTest {

  private static final Path FILE = Path.of("state", "journal.log");

  private static JournalRecord read(String json) throws IOException {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return JournalJson.read(FILE, 40, b, 0, b.length);
  }

  private static JournalRecord databind(String json) throws IOException {
    return DatabindJournalFormat.read(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsFieldsInAnyOrderWithTheTypeLastLikeDatabind() throws IOException {
    String json = "{\"atEpochMs\":9,\"instance\":2,\"attempt\":3,\"hostname\":\"h\",\"agentId\":\"a\","
        + "\"taskId\":\"t\",\"type\":\"TaskLaunched\"}";
    assertThat(read(json)).isEqualTo(new JournalRecord.TaskLaunched("t", 2, 3, "a", "h", 9)).isEqualTo(databind(json));
  }

  @Test
  void missingFieldsAreNullOrZeroLikeDatabind() throws IOException {
    String json = "{\"type\":\"TaskStateChanged\",\"taskId\":\"t\",\"state\":\"LOST\"}";
    assertThat(read(json)).isEqualTo(new JournalRecord.TaskStateChanged("t", "LOST", null, null, null, 0))
        .isEqualTo(databind(json));
  }

  @Test
  void aFieldGivenTwiceIsCorruptAsDatabindRefusedIt() {
    String json = "{\"type\":\"FrameworkRegistered\",\"frameworkId\":\"a\",\"frameworkId\":\"b\"}";
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("not a valid journal record: field 'frameworkId' appears twice");
    assertThatThrownBy(() -> databind(json)).isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
  }

  @Test
  void whitespaceBetweenTokensIsAccepted() throws IOException {
    assertThat(read(" {\n \"type\" : \"RunEnded\", \"outcome\" : \"SUCCEEDED\", \"reason\" : null, \"atEpochMs\" : 5 }\n"))
        .isEqualTo(new JournalRecord.RunEnded("SUCCEEDED", null, 5));
  }

  @Test
  void theFirstUnknownFieldIsNamedAsANewerVersionLikeDatabindDid() {
    String json = "{\"type\":\"InstanceFailed\",\"instance\":1,\"zeta\":[1,{\"x\":2}],\"alpha\":true,"
        + "\"reason\":\"r\",\"atEpochMs\":3}";
    assertThatThrownBy(() -> read(json))
        .isInstanceOf(JournalVersionException.class)
        .hasMessage(FILE + ": record at offset 40 of type InstanceFailed has field 'zeta', which this runner does not"
            + " know (written by a newer version?)");
    assertThatThrownBy(() -> databind(json))
        .isInstanceOfSatisfying(com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.class,
            e -> assertThat(e.getPropertyName()).isEqualTo("zeta"));
  }

  @Test
  void anUnknownTypeIsANewerVersionEvenWhenItsFieldsAreUnknownToo() {
    assertThatThrownBy(() -> read("{\"epoch\":1,\"type\":\"TaskTeleported\"}"))
        .isInstanceOf(JournalVersionException.class)
        .hasMessageContaining("record at offset 40 has type 'TaskTeleported', which this runner does not know");
  }

  @Test
  void aRecordWithoutTypeIsCorrupt() {
    assertThatThrownBy(() -> read("{\"frameworkId\":\"f\"}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("record at offset 40 has no type");
  }

  @Test
  void invalidJsonIsCorruptWithTheParsersReason() {
    assertThatThrownBy(() -> read("{\"type\":\"RunEnded\",\"outcome\":\"FAILED\""))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("passes its checksum but is not a valid journal record: Unexpected end-of-input");
    assertThatThrownBy(() -> read("[\"RunEnded\"]"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("not a valid journal record: expected a JSON object");
  }

  @Test
  void aValueOfTheWrongKindIsCorruptAndNamesTheField() {
    assertThatThrownBy(() -> read("{\"type\":\"InstanceCompleted\",\"instance\":{\"n\":1},\"taskId\":\"t\"}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("field 'instance' of InstanceCompleted must be a whole number");
    assertThatThrownBy(() -> read("{\"type\":\"InstanceCompleted\",\"instance\":1,\"taskId\":7}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("field 'taskId' of InstanceCompleted must be a string");
    assertThatThrownBy(() -> read("{\"type\":\"InstanceCompleted\",\"instance\":4294967296,\"taskId\":\"t\"}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("field 'instance' of InstanceCompleted must be a whole number in the int range");
  }

  @Test
  void aValueTheRecordRefusesIsCorruptWithTheRecordsReason() {
    assertThatThrownBy(() -> read("{\"type\":\"TaskLaunched\",\"taskId\":\"t\",\"instance\":-1,\"attempt\":1,"
        + "\"agentId\":\"a\",\"hostname\":null,\"atEpochMs\":1}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("cannot make a TaskLaunched: instance (-1) must not be negative");
    assertThatThrownBy(() -> read("{\"type\":\"FrameworkRegistered\"}"))
        .isInstanceOf(JournalCorruptException.class)
        .hasMessageContaining("cannot make a FrameworkRegistered: frameworkId");
  }

  @Test
  void instancesCarriedOverRoundTripAndBadRangesAreCorrupt() throws IOException {
    JournalRecord carried = new JournalRecord.InstancesCarriedOver("r1", "0-4, 7", 9);
    assertThat(read(new String(JournalJson.write(carried), java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(carried);
    assertThat(((JournalRecord.InstancesCarriedOver) carried).indexes()).containsExactly(0, 1, 2, 3, 4, 7);
    assertThatThrownBy(() -> read("{\"type\":\"InstancesCarriedOver\",\"fromRunId\":\"r1\",\"instances\":\"7, 2\","
        + "\"atEpochMs\":1}")).isInstanceOf(JournalCorruptException.class).hasMessageContaining("7, 2");
  }
}
