package io.mesosrunner.state;

import java.nio.file.Path;

/**
 * The journal is damaged where it must not be: not a journal at all, a bad record followed by
 * valid ones (the middle, not a torn tail), or a record whose checksum is right but whose content
 * is not a record. Recovery refuses such a file rather than guess which work was done.
 */
public final class JournalCorruptException extends JournalException {
  JournalCorruptException(Path file, long offset, String message, Throwable cause) {
    super(file, offset, message, cause);
  }
}
