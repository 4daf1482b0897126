package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.mesos.testmaster.MesosRecordings;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/** The traffic recorded from a real Mesos 1.12 master, from the test class path ({@link MesosRecordings}). */
final class Recordings {

  static {
    ProtobufSetup.ensure();
  }

  private Recordings() {}

  static List<JsonNode> lines(String file) {
    return MesosRecordings.lines(file);
  }

  static JsonNode seq(String file, int seq) {
    return lines(file).stream().filter(l -> l.path("seq").asInt() == seq).findFirst()
        .orElseThrow(() -> new IllegalStateException(file + " has no seq " + seq));
  }

  static byte[] bytes(JsonNode line) {
    return Base64.getDecoder().decode(line.path("pb_base64").asText());
  }

  static Event event(String file, int seq) {
    try {
      return Event.parseFrom(bytes(seq(file, seq)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Call call(String file, int seq) {
    try {
      return Call.parseFrom(bytes(seq(file, seq)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event line of a file, decoded, in seq order. */
  static List<Event> events(String file) {
    List<Event> out = new ArrayList<>();
    for (JsonNode l : lines(file)) {
      if (l.path("dir").asText().equals("event")) {
        try {
          out.add(Event.parseFrom(bytes(l)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }

  /** The raw event lines (json + bytes) of one stream, in seq order. */
  static List<JsonNode> eventLines(String file) {
    return lines(file).stream().filter(l -> l.path("dir").asText().equals("event")).toList();
  }
}
