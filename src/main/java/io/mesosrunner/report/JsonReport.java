package io.mesosrunner.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Writes a {@link RunReport} as JSON, atomically (temporary file, then rename). */
public final class JsonReport {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .setSerializationInclusion(JsonInclude.Include.ALWAYS)
      .addMixIn(RunReport.class, RenameInstances.class);

  private JsonReport() {}

  /** Serialises the report. */
  public static String toJson(RunReport report) {
    try {
      return MAPPER.writeValueAsString(report);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the report", e);
    }
  }

  /** Writes the report to {@code file}. */
  public static void write(RunReport report, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".report", ".tmp");
    try {
      Files.writeString(tmp, toJson(report) + "\n");
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The report's instance list is called {@code instances} in JSON, next to the count. */
  private abstract static class RenameInstances {
    @JsonProperty("instanceCount")
    abstract int instances();

    @JsonProperty("instances")
    abstract java.util.List<RunReport.Instance> instanceList();
  }
}
