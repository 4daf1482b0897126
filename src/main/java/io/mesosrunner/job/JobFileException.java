package io.mesosrunner.job;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A job file could not be loaded. Carries every error found in the file, sorted by position;
 * the message is those errors, one per line.
 */
public final class JobFileException extends Exception {

  private static final long serialVersionUID = 1L;

  private final transient List<JobError> errors;

  public JobFileException(List<JobError> errors) {
    super(render(errors));
    if (errors.isEmpty()) throw new IllegalArgumentException("errors must not be empty");
    this.errors = List.copyOf(errors);
  }

  /** The errors, sorted by line then column; never empty. */
  public List<JobError> errors() {
    return errors;
  }

  private static String render(List<JobError> errors) {
    return errors.stream().map(JobError::toString).collect(Collectors.joining("\n"));
  }
}
