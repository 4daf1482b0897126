package io.mesosrunner.state;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;

/**
 * The journal's JSON as earlier runners wrote and read it: Jackson databind with these type
 * annotations on {@link JournalRecord}. Kept in the tests as the reference the streaming {@code
 * JournalJson} must stay byte-compatible with.
 */
final class DatabindJournalFormat {

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = JournalRecord.RunStarted.class, name = "RunStarted"),
      @JsonSubTypes.Type(value = JournalRecord.FrameworkRegistered.class, name = "FrameworkRegistered"),
      @JsonSubTypes.Type(value = JournalRecord.TaskLaunched.class, name = "TaskLaunched"),
      @JsonSubTypes.Type(value = JournalRecord.TaskStateChanged.class, name = "TaskStateChanged"),
      @JsonSubTypes.Type(value = JournalRecord.InstanceCompleted.class, name = "InstanceCompleted"),
      @JsonSubTypes.Type(value = JournalRecord.InstanceFailed.class, name = "InstanceFailed"),
      @JsonSubTypes.Type(value = JournalRecord.InstancesCarriedOver.class, name = "InstancesCarriedOver"),
      @JsonSubTypes.Type(value = JournalRecord.RunEnded.class, name = "RunEnded"),
      @JsonSubTypes.Type(value = JournalRecord.Utilisation.class, name = "Utilisation"),
      @JsonSubTypes.Type(value = JournalRecord.TaskReasonGiven.class, name = "TaskReasonGiven"),
      @JsonSubTypes.Type(value = JournalRecord.StderrTail.class, name = "StderrTail"),
  })
  private interface TypeAnnotations {}

  private static final ObjectMapper MAPPER = new ObjectMapper().addMixIn(JournalRecord.class, TypeAnnotations.class);
  private static final ObjectWriter WRITER = MAPPER.writerFor(JournalRecord.class);
  private static final ObjectReader READER = MAPPER.readerFor(JournalRecord.class);

  private DatabindJournalFormat() {}

  static byte[] write(JournalRecord record) throws IOException {
    return WRITER.writeValueAsBytes(record);
  }

  static JournalRecord read(byte[] json) throws IOException {
    return READER.readValue(json);
  }
}
