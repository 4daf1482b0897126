package io.mesosrunner.state;

import java.nio.file.Path;

/**
 * The journal was written by a newer runner: an unknown format version, record type or field.
 * It is left untouched.
 */
public final class JournalVersionException extends JournalException {
  JournalVersionException(Path file, long offset, String message, Throwable cause) {
    super(file, offset, message, cause);
  }
}
