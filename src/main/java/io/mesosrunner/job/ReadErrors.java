package io.mesosrunner.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The errors found in one job file, each at the position of the node it is about. The readers
 * add to it and go on; {@link JobReader} throws them all at once, sorted by position.
 */
final class ReadErrors {

  private final String fileName;
  private final List<JobError> errors = new ArrayList<>();

  ReadErrors(String fileName) {
    this.fileName = fileName;
  }

  void add(Node node, String message) {
    add(node, 0, message);
  }

  /** An error at a node, moved {@code offset} characters right when that is exact (a one-line plain scalar). */
  void add(Node node, int offset, String message) {
    Mark mark = node == null ? null : node.getStartMark().orElse(null);
    JobError error = JobLoader.at(fileName, mark, message);
    if (offset > 0 && mark != null && node instanceof ScalarNode scalar
        && scalar.getScalarStyle() == ScalarStyle.PLAIN
        && node.getEndMark().isPresent() && node.getEndMark().get().getLine() == mark.getLine()) {
      error = new JobError(fileName, error.line(), error.column() + offset, message);
    }
    errors.add(error);
  }

  /** Reports a value of the wrong kind; returns null, which is what a reader returns after an error. */
  <T> T typeError(String field, String expected, Node node) {
    add(node, field + " must be " + expected + " (got " + YamlNodes.describe(node) + ")");
    return null;
  }

  boolean any() {
    return !errors.isEmpty();
  }

  JobFileException failure() {
    List<JobError> sorted = new ArrayList<>(new LinkedHashSet<>(errors));
    sorted.sort(Comparator.comparingInt(JobError::line).thenComparingInt(JobError::column));
    return new JobFileException(sorted);
  }
}
