package io.mesosrunner.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON Schema (draft 2020-12) of job files, version 1, for editors and the {@code schema}
 * command. It is {@code schemas/job.schema.json} from the source tree, packaged on the class
 * path at {@value #RESOURCE}; tests keep it equal to what {@link JobLoader} accepts.
 */
public final class JobSchema {

  /** Class-path location of the schema. */
  public static final String RESOURCE = "/schemas/job.schema.json";

  private JobSchema() {}

  /**
   * The schema text.
   *
   * @throws IllegalStateException if the resource is missing from the class path (a broken build)
   */
  public static String text() {
    try (InputStream in = JobSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("resource " + RESOURCE + " is missing from the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
    }
  }
}
