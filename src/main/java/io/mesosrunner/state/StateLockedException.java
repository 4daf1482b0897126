package io.mesosrunner.state;

import java.io.IOException;
import java.nio.file.Path;

/** Another runner (or this one) already holds a job's state directory. */
public final class StateLockedException extends IOException {

  private final Path lockFile;
  private final Long holderPid;

  StateLockedException(Path lockFile, Long holderPid, String message) {
    super(message);
    this.lockFile = lockFile;
    this.holderPid = holderPid;
  }

  /** The lock file. */
  public Path lockFile() {
    return lockFile;
  }

  /** The pid the holder wrote into the lock file, or null when it could not be read. */
  public Long holderPid() {
    return holderPid;
  }
}
