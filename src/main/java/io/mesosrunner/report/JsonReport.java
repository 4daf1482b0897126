package io.mesosrunner.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/** Writes a {@link RunReport} as JSON. */
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

  /** Writes the report to {@code file} (mode 0644), or to {@code stdout} when the file is {@code -}. */
  public static void write(RunReport report, Path file, PrintStream stdout) throws IOException {
    ReportFiles.write(file, toJson(report) + "\n", stdout);
  }

  /** The report's instance list is called {@code instances} in JSON, next to the count. */
  private abstract static class RenameInstances {
    @JsonProperty("instanceCount")
    abstract int instances();

    @JsonProperty("instances")
    abstract java.util.List<RunReport.Instance> instanceList();
  }
}
