package io.mesosrunner.state;

/**
 * What opening a journal found.
 *
 * @param recordsRead     records accepted (every one of them in a complete, checksummed batch)
 * @param validBytes      length of the accepted part of the file, header included
 * @param bytesDiscarded  bytes after it that were dropped (a torn or unfinished last batch)
 * @param reason          why they were dropped, e.g. {@code torn tail at offset 812 (record length
 *                        120, only 37 bytes)} or {@code checksum mismatch at offset 812}; null when
 *                        nothing was dropped
 * @param created         true when there was no journal and an empty one was created
 */
public record RecoveryReport(long recordsRead, long validBytes, long bytesDiscarded, String reason, boolean created) {
  public RecoveryReport {
    if (recordsRead < 0 || validBytes < 0 || bytesDiscarded < 0) {
      throw new IllegalArgumentException("counts must not be negative (recordsRead " + recordsRead
          + ", validBytes " + validBytes + ", bytesDiscarded " + bytesDiscarded + ")");
    }
    if ((bytesDiscarded == 0) != (reason == null)) {
      throw new IllegalArgumentException("a reason is given exactly when bytes are discarded (bytesDiscarded "
          + bytesDiscarded + ", reason " + reason + ")");
    }
  }

  /** Whether anything was dropped. */
  public boolean truncated() {
    return bytesDiscarded > 0;
  }

  /** One line for the runner's log. */
  public String describe() {
    if (created) return "new journal";
    String base = recordsRead + " record" + (recordsRead == 1 ? "" : "s") + " recovered";
    return truncated() ? base + "; discarded " + bytesDiscarded + " bytes: " + reason : base;
  }
}
