package io.mesosrunner.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** Facts about a job file that every task is stamped with: its hash and its git commit. */
final class RunFiles {

  private static final SecureRandom RANDOM = new SecureRandom();

  private RunFiles() {}

  /** A fresh run id: 8 lower-case hex digits. */
  static String newRunId() {
    byte[] b = new byte[4];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The commit checked out in the git work tree that holds {@code file}, or null when it is not
   * in one. Reads {@code .git} directly (no git process): HEAD, loose refs, packed refs and linked
   * work trees.
   */
  static String gitCommit(Path file) {
    try {
      Path dir = file.toAbsolutePath().normalize().getParent();
      while (dir != null) {
        Path dotGit = dir.resolve(".git");
        if (Files.isDirectory(dotGit)) return headOf(dotGit, dotGit);
        if (Files.isRegularFile(dotGit)) {
          String line = Files.readString(dotGit, StandardCharsets.UTF_8).trim();
          if (!line.startsWith("gitdir:")) return null;
          Path gitDir = dir.resolve(line.substring("gitdir:".length()).trim()).normalize();
          Path common = gitDir;
          Path commonFile = gitDir.resolve("commondir");
          if (Files.isRegularFile(commonFile)) {
            common = gitDir.resolve(Files.readString(commonFile, StandardCharsets.UTF_8).trim()).normalize();
          }
          return headOf(gitDir, common);
        }
        dir = dir.getParent();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String headOf(Path gitDir, Path commonDir) throws IOException {
    Path head = gitDir.resolve("HEAD");
    if (!Files.isRegularFile(head)) return null;
    String h = Files.readString(head, StandardCharsets.UTF_8).trim();
    if (!h.startsWith("ref:")) return isHash(h) ? h : null;
    String ref = h.substring(4).trim();
    for (Path base : List.of(gitDir, commonDir)) {
      Path loose = base.resolve(ref);
      if (Files.isRegularFile(loose)) {
        String v = Files.readString(loose, StandardCharsets.UTF_8).trim();
        return isHash(v) ? v : null;
      }
    }
    Path packed = commonDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        if (line.endsWith(" " + ref) && isHash(line.substring(0, line.indexOf(' ')))) {
          return line.substring(0, line.indexOf(' '));
        }
      }
    }
    return null; // a branch with no commit yet
  }

  private static boolean isHash(String s) {
    return s.matches("[0-9a-f]{40}|[0-9a-f]{64}");
  }
}
