package io.mesosrunner.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;

/** The errors the loader reports for a file named {@code x.yaml}, as the lines a user reads. */
final class JobErrors {

  private static final JobLoader LOADER = new JobLoader(Map.of());

  private JobErrors() {}

  static List<String> of(byte[] content) {
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> LOADER.parse("x.yaml", content));
    assertThat(e).as("expected a JobFileException").isNotNull();
    return e.errors().stream().map(JobError::toString).toList();
  }

  static List<String> of(String yaml) {
    return of(yaml.getBytes(UTF_8));
  }
}
