package io.mesosrunner.cli;

import io.mesosrunner.state.JournalException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/** Says why a state directory cannot be used, in words, and where to point the runner instead. */
final class StateDirProblem {

  private StateDirProblem() {}

  /** "cannot use the state directory DIR: permission denied (DIR/job/lock); ...", for stderr after "runner: ". */
  static String describe(Path stateDir, IOException e) {
    if (e instanceof JournalException) return "cannot use the run journal in " + stateDir + ": " + e.getMessage();
    String file = e instanceof FileSystemException f ? f.getFile() : null;
    return "cannot use the state directory " + stateDir + ": " + reason(e) + (file == null ? "" : " (" + file + ")")
        + "; choose a writable one with --state-dir DIR (or " + StateDirOption.ENV + ")";
  }

  /** The cause in plain words: the JDK's file exceptions carry only the path in their message. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) return "permission denied";
    if (e instanceof NoSuchFileException) return "no such file or directory";
    if (e instanceof NotDirectoryException) return "not a directory";
    // Creating a directory where a file is: the file is what is "not a directory".
    if (e instanceof FileAlreadyExistsException) return "not a directory";
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
