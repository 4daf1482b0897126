package io.mesosrunner.state;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a job's runs for the commands that show them ({@code status}, {@code wait}, {@code
 * report}, {@code logs}): the latest run ({@value RunJournal#FILE_NAME}) or the one before it
 * ({@value RunJournal#PREVIOUS_FILE_NAME}), each folded once by a {@link RunFold} and seen as a
 * {@link RunView}. Read-only: safe beside a live runner.
 */
public final class RunReader {

  private RunReader() {}

  /**
   * A run read from its journal.
   *
   * @param latest whether it is the job's latest run (the one a runner may be attached to)
   */
  public record Read(RunFold fold, RunView view, Path journal, boolean latest) {}

  /**
   * The run {@code runId} of the job whose state directory is {@code jobDir}, or its latest run
   * when {@code runId} is null; empty when no such run is recorded.
   *
   * @throws JournalException when its journal cannot be read as a journal of one run
   */
  public static Optional<Read> read(Path jobDir, String runId) throws IOException {
    RunView.Attachment attachment = RunView.Attachment.of(jobDir);
    for (String name : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      boolean latest = name.equals(RunJournal.FILE_NAME);
      RunFold fold = fold(jobDir.resolve(name));
      if (fold == null) continue;
      if (runId != null && !runId.equals(fold.started().runId())) continue;
      RunView.Attachment seen = latest ? attachment : new RunView.Attachment(null, false, attachment.exit());
      return Optional.of(new Read(fold, RunView.of(fold, seen), jobDir.resolve(name), latest));
    }
    return Optional.empty();
  }

  /** The ids of the runs the job keeps, the latest first. */
  public static List<String> runIds(Path jobDir) {
    List<String> out = new ArrayList<>();
    for (String name : List.of(RunJournal.FILE_NAME, RunJournal.PREVIOUS_FILE_NAME)) {
      try {
        RunFold fold = fold(jobDir.resolve(name));
        if (fold != null) out.add(fold.started().runId());
      } catch (IOException e) {
        // a journal that cannot be read names no run
      }
    }
    return out;
  }

  /** The fold of the journal {@code file}, or null when there is none or it holds no record. */
  static RunFold fold(Path file) throws IOException {
    RunFold fold = new RunFold();
    try (JournalTail tail = new JournalTail(file)) {
      if (tail.poll(fold::accept) == JournalTail.Poll.MISSING) return null;
    } catch (IllegalArgumentException e) {
      throw new JournalCorruptException(file, RunJournal.HEADER_BYTES, "its records do not describe one run: "
          + e.getMessage(), e);
    }
    return fold.started() == null ? null : fold;
  }
}
