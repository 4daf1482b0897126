package io.mesosrunner.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.mesosrunner.state.JournalRecord.FrameworkRegistered;
import io.mesosrunner.state.JournalRecord.InstanceCompleted;
import io.mesosrunner.state.JournalRecord.InstanceFailed;
import io.mesosrunner.state.JournalRecord.InstancesCarriedOver;
import io.mesosrunner.state.JournalRecord.RunEnded;
import io.mesosrunner.state.JournalRecord.RunStarted;
import io.mesosrunner.state.JournalRecord.StderrTail;
import io.mesosrunner.state.JournalRecord.TaskLaunched;
import io.mesosrunner.state.JournalRecord.TaskReasonGiven;
import io.mesosrunner.state.JournalRecord.TaskStateChanged;
import io.mesosrunner.state.JournalRecord.Utilisation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of one {@link JournalRecord}, written and read with the Jackson streaming API.
 *
 * <p>The format: one object whose first field is {@code "type"} (the record's simple name),
 * followed by every record component in declaration order, {@code null} written out. These are
 * the bytes Jackson databind wrote for the records in earlier versions, so old journals read back
 * unchanged. The streaming API is used instead of databind because building an {@code
 * ObjectMapper} and introspecting the records cost a fifth of a second at every start.
 *
 * <p>Reading follows what databind accepted: fields in any order (the type too), and a missing
 * field is null, or 0 for a number. A field given twice is refused, as databind refused it. An
 * unknown type or field is a {@link JournalVersionException} (written by a newer runner); a
 * missing type, bad JSON, a value of the wrong kind or a value a record refuses is a {@link
 * JournalCorruptException}. {@code JournalJsonProperties} holds both directions to databind.
 *
 * <p>Stateless and thread-safe.
 */
final class JournalJson {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Each type's field names (the components of the record of that name). */
  private static final Map<String, List<String>> FIELDS = Map.ofEntries(
      Map.entry("RunStarted", List.of("runId", "jobName", "jobFile", "fileSha256", "gitCommit", "cluster",
          "startedAtEpochMs", "instances", "jobText")),
      Map.entry("FrameworkRegistered", List.of("frameworkId")),
      Map.entry("TaskLaunched", List.of("taskId", "instance", "attempt", "agentId", "hostname", "atEpochMs")),
      Map.entry("TaskStateChanged", List.of("taskId", "state", "exitCode", "message", "cause", "atEpochMs")),
      Map.entry("InstanceCompleted", List.of("instance", "taskId", "atEpochMs")),
      Map.entry("InstanceFailed", List.of("instance", "reason", "atEpochMs")),
      Map.entry("InstancesCarriedOver", List.of("fromRunId", "instances", "atEpochMs")),
      Map.entry("RunEnded", List.of("outcome", "reason", "atEpochMs")),
      Map.entry("Utilisation", List.of("atEpochMs", "cpusInUseMilli", "cpusOfferedMilli", "running", "waiting",
          "waitReason")),
      Map.entry("StderrTail", List.of("taskId", "lines")),
      Map.entry("TaskReasonGiven", List.of("taskId", "reason", "source", "atEpochMs")));

  private JournalJson() {}

  /** The record as UTF-8 JSON. */
  static byte[] write(JournalRecord record) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(256)) {
      try (JsonGenerator g = FACTORY.createGenerator(out)) {
        g.writeStartObject();
        g.writeStringField("type", record.getClass().getSimpleName());
        fields(g, record);
        g.writeEndObject();
      }
      return out.toByteArray();
    } catch (IOException e) {
      // Only a failing output can make the generator throw, and a byte array does not fail.
      throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
    }
  }

  private static void fields(JsonGenerator g, JournalRecord record) throws IOException {
    if (record instanceof RunStarted r) {
      g.writeStringField("runId", r.runId());
      g.writeStringField("jobName", r.jobName());
      g.writeStringField("jobFile", r.jobFile());
      g.writeStringField("fileSha256", r.fileSha256());
      g.writeStringField("gitCommit", r.gitCommit());
      g.writeStringField("cluster", r.cluster());
      g.writeNumberField("startedAtEpochMs", r.startedAtEpochMs());
      g.writeNumberField("instances", r.instances());
      g.writeStringField("jobText", r.jobText());
    } else if (record instanceof FrameworkRegistered r) {
      g.writeStringField("frameworkId", r.frameworkId());
    } else if (record instanceof TaskLaunched r) {
      g.writeStringField("taskId", r.taskId());
      g.writeNumberField("instance", r.instance());
      g.writeNumberField("attempt", r.attempt());
      g.writeStringField("agentId", r.agentId());
      g.writeStringField("hostname", r.hostname());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof TaskStateChanged r) {
      g.writeStringField("taskId", r.taskId());
      g.writeStringField("state", r.state());
      g.writeFieldName("exitCode");
      if (r.exitCode() == null) {
        g.writeNull();
      } else {
        g.writeNumber(r.exitCode().intValue());
      }
      g.writeStringField("message", r.message());
      g.writeStringField("cause", r.cause());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof TaskReasonGiven r) {
      g.writeStringField("taskId", r.taskId());
      g.writeStringField("reason", r.reason());
      g.writeStringField("source", r.source());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof InstanceCompleted r) {
      g.writeNumberField("instance", r.instance());
      g.writeStringField("taskId", r.taskId());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof InstanceFailed r) {
      g.writeNumberField("instance", r.instance());
      g.writeStringField("reason", r.reason());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof InstancesCarriedOver r) {
      g.writeStringField("fromRunId", r.fromRunId());
      g.writeStringField("instances", r.instances());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof RunEnded r) {
      g.writeStringField("outcome", r.outcome());
      g.writeStringField("reason", r.reason());
      g.writeNumberField("atEpochMs", r.atEpochMs());
    } else if (record instanceof Utilisation r) {
      g.writeNumberField("atEpochMs", r.atEpochMs());
      g.writeNumberField("cpusInUseMilli", r.cpusInUseMilli());
      g.writeNumberField("cpusOfferedMilli", r.cpusOfferedMilli());
      g.writeNumberField("running", r.running());
      g.writeNumberField("waiting", r.waiting());
      g.writeStringField("waitReason", r.waitReason());
    } else if (record instanceof StderrTail r) {
      g.writeStringField("taskId", r.taskId());
      g.writeStringField("lines", r.lines());
    } else {
      throw new IllegalArgumentException("no JSON form for " + record.getClass().getName());
    }
  }

  /**
   * Reads the record in {@code bytes[at, at + len)}, the payload of the frame at {@code frameOffset}
   * of {@code file} (both only for messages).
   */
  static JournalRecord read(Path file, long frameOffset, byte[] bytes, int at, int len) throws IOException {
    Map<String, Object> values = new LinkedHashMap<>();
    String type = null;
    try (JsonParser p = FACTORY.createParser(bytes, at, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw corrupt(file, frameOffset, "expected a JSON object, got " + p.currentToken());
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (values.containsKey(name) || (name.equals("type") && type != null)) {
          throw corrupt(file, frameOffset, "field '" + name + "' appears twice");
        }
        if (name.equals("type")) {
          if (value != JsonToken.VALUE_STRING) {
            throw corrupt(file, frameOffset, "the type must be a string, got " + value);
          }
          type = p.getText();
        } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          values.put(name, Structured.VALUE);
          p.skipChildren();
        } else if (value == JsonToken.VALUE_NULL) {
          values.put(name, null);
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
          values.put(name, p.getNumberValue());
        } else if (value == JsonToken.VALUE_STRING) {
          values.put(name, p.getText());
        } else {
          values.put(name, Structured.VALUE);
        }
      }
    } catch (JsonProcessingException e) {
      throw corrupt(file, frameOffset, e.getOriginalMessage());
    }
    if (type == null) {
      throw new JournalCorruptException(file, frameOffset, "record at offset " + frameOffset + " has no type", null);
    }
    List<String> known = FIELDS.get(type);
    if (known == null) {
      throw new JournalVersionException(file, frameOffset, "record at offset " + frameOffset + " has type '" + type
          + "', which this runner does not know (written by a newer version?)", null);
    }
    String unknownField = null;
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        unknownField = name;
        break;
      }
    }
    if (unknownField != null) {
      throw new JournalVersionException(file, frameOffset, "record at offset " + frameOffset + " of type " + type
          + " has field '" + unknownField + "', which this runner does not know (written by a newer version?)", null);
    }
    Fields f = new Fields(file, frameOffset, type, values);
    try {
      return switch (type) {
        case "RunStarted" -> new RunStarted(f.text("runId"), f.text("jobName"), f.text("jobFile"),
            f.text("fileSha256"), f.text("gitCommit"), f.text("cluster"), f.whole("startedAtEpochMs"),
            f.int32("instances"), f.text("jobText"));
        case "FrameworkRegistered" -> new FrameworkRegistered(f.text("frameworkId"));
        case "TaskLaunched" -> new TaskLaunched(f.text("taskId"), f.int32("instance"), f.int32("attempt"),
            f.text("agentId"), f.text("hostname"), f.whole("atEpochMs"));
        case "TaskStateChanged" -> new TaskStateChanged(f.text("taskId"), f.text("state"), f.optionalInt32("exitCode"),
            f.text("message"), f.text("cause"), f.whole("atEpochMs"));
        case "TaskReasonGiven" -> new TaskReasonGiven(f.text("taskId"), f.text("reason"), f.text("source"),
            f.whole("atEpochMs"));
        case "InstanceCompleted" -> new InstanceCompleted(f.int32("instance"), f.text("taskId"), f.whole("atEpochMs"));
        case "InstanceFailed" -> new InstanceFailed(f.int32("instance"), f.text("reason"), f.whole("atEpochMs"));
        case "InstancesCarriedOver" -> new InstancesCarriedOver(f.text("fromRunId"), f.text("instances"),
            f.whole("atEpochMs"));
        case "RunEnded" -> new RunEnded(f.text("outcome"), f.text("reason"), f.whole("atEpochMs"));
        case "Utilisation" -> new Utilisation(f.whole("atEpochMs"), f.whole("cpusInUseMilli"),
            f.whole("cpusOfferedMilli"), f.int32("running"), f.int32("waiting"), f.text("waitReason"));
        case "StderrTail" -> new StderrTail(f.text("taskId"), f.text("lines"));
        default -> throw new IllegalStateException("type " + type + " has fields but no reader");
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw corrupt(file, frameOffset, "cannot make a " + type + ": " + e.getMessage());
    }
  }

  private static JournalCorruptException corrupt(Path file, long frameOffset, String why) {
    return new JournalCorruptException(file, frameOffset, "record at offset " + frameOffset
        + " passes its checksum but is not a valid journal record: " + why, null);
  }

  /** Stands for a value no record component can hold (an object, an array, a boolean, a fraction). */
  private enum Structured { VALUE }

  /** The fields of one record, converted to what its components hold. */
  private record Fields(Path file, long frameOffset, String type, Map<String, Object> values) {

    String text(String name) throws JournalCorruptException {
      Object v = values.get(name);
      if (v == null || v instanceof String) return (String) v;
      throw wrongKind(name, "a string");
    }

    long whole(String name) throws JournalCorruptException {
      Object v = values.get(name);
      if (v == null) return 0;
      if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
      throw wrongKind(name, "a whole number");
    }

    int int32(String name) throws JournalCorruptException {
      Integer v = optionalInt32(name);
      return v == null ? 0 : v;
    }

    Integer optionalInt32(String name) throws JournalCorruptException {
      Object v = values.get(name);
      if (v == null || v instanceof Integer) return (Integer) v;
      throw wrongKind(name, "a whole number in the int range");
    }

    private JournalCorruptException wrongKind(String name, String expected) {
      return corrupt(file, frameOffset, "field '" + name + "' of " + type + " must be " + expected);
    }
  }
}
