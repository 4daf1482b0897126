package io.mesosrunner.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system steps that must survive a machine crash, not just a process crash. */
final class Durable {

  private Durable() {}

  /**
   * Makes the entries of {@code dir} (files created, renamed or removed in it) durable. Some
   * platforms refuse to open or force a directory; then there is nothing more we can do, and the
   * file data itself is still forced separately.
   */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // The OS does not let a directory be forced (e.g. Windows): best effort only.
    }
  }

  /** Creates {@code dir} and any missing parents, syncing each parent whose entries changed. */
  static void createDirectories(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) return;
    Path parent = abs.getParent();
    if (parent != null) createDirectories(parent);
    try {
      Files.createDirectory(abs);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      if (!Files.isDirectory(abs)) throw e;
      return;
    }
    if (parent != null) syncDirectory(parent);
  }
}
