package io.mesosrunner.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where reports go: a file, written whole (temporary file, then rename) with mode 0644 as build
 * reports are, or standard output when the path is {@code -}.
 */
public final class ReportFiles {

  /** The path that means standard output. */
  public static final String STDOUT = "-";

  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

  private ReportFiles() {}

  /** Whether {@code file} stands for standard output. */
  public static boolean isStdout(Path file) {
    return file.toString().equals(STDOUT);
  }

  /**
   * Checks, before a run, that a report can be written to {@code file}: its directory is created
   * when missing and must take a new file; an existing directory of that name is refused.
   *
   * @return null when it can, else why not (for a message)
   */
  public static String whyNotWritable(Path file) {
    if (isStdout(file)) return null;
    if (Files.isDirectory(file)) return "it is a directory";
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path probe = Files.createTempFile(dir, ".report", ".probe");
      Files.delete(probe);
      return null;
    } catch (AccessDeniedException e) {
      return "permission denied (" + e.getFile() + ")";
    } catch (FileAlreadyExistsException | NotDirectoryException e) {
      return "not a directory: " + e.getFile();
    } catch (NoSuchFileException e) {
      return "no such directory (" + e.getFile() + ")";
    } catch (FileSystemException e) {
      return (e.getReason() == null ? "cannot create a file there" : e.getReason())
          + (e.getFile() == null ? "" : " (" + e.getFile() + ")");
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Writes {@code text} to {@code file}, or to {@code stdout} when the file is {@code -}. */
  public static void write(Path file, String text, PrintStream stdout) throws IOException {
    if (isStdout(file)) {
      stdout.print(text);
      stdout.flush();
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".report", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, MODE);
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the default mode is what there is
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
