package io.mesosrunner.state;

import java.io.IOException;
import java.nio.file.Path;

/** A journal that cannot be trusted or read; names the file and the byte offset of the problem. */
public class JournalException extends IOException {

  private final Path file;
  private final long offset;

  JournalException(Path file, long offset, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
    this.offset = offset;
  }

  /** The journal file. */
  public Path file() {
    return file;
  }

  /** Byte offset of the record (or header) at fault. */
  public long offset() {
    return offset;
  }
}
