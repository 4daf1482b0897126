package io.mesosrunner.cluster.local;

import io.mesosrunner.job.FetchUri;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Fetches a task's {@code uris} into its sandbox before the command starts, as the Mesos fetcher
 * does for a {@code CommandInfo.URI}: the file lands in the sandbox under its own name (an
 * executable file stays executable), {@code executable} makes it executable, and an archive is
 * extracted into the sandbox unless {@code extract} is false. A relative path is resolved against
 * the job file's directory ({@link LocalConfig#uriBase}); http and https URIs are downloaded.
 */
final class UriFetcher {

  /** What the Mesos fetcher extracts (tar archives through tar, which detects the compression). */
  private static final List<String> TAR_SUFFIXES = List.of(".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2",
      ".tar.xz", ".txz");
  /** How the message of a task whose uris could not be fetched begins. */
  static final String FAILED = "Failed to fetch";
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
  private static final long TAR_TIMEOUT_SECONDS = 300;

  /** Why a uri could not be fetched; the message is for the user (the task fails with it). */
  static final class FetchFailedException extends Exception {
    FetchFailedException(String message) {
      super(message);
    }
  }

  /** Where a relative uri of a step names an earlier step's collected outputs. */
  static final String OUTPUTS = "outputs/";

  private final Path base;
  private final Path runDir;
  private HttpClient http;

  UriFetcher(Path base) {
    this(base, base);
  }

  /** @param runDir the run's directory, whose {@code outputs/} a relative {@code outputs/...} uri may name */
  UriFetcher(Path base, Path runDir) {
    this.base = base;
    this.runDir = runDir;
  }

  /** Fetches every uri, in order, into {@code sandbox}; fails at the first that cannot be fetched. */
  void fetchAll(List<FetchUri> uris, Path sandbox) throws FetchFailedException {
    try {
      Files.createDirectories(sandbox);
    } catch (IOException e) {
      throw new FetchFailedException("cannot create the sandbox " + sandbox + ": " + e.getMessage());
    }
    for (int i = 0; i < uris.size(); i++) {
      FetchUri uri = uris.get(i);
      try {
        fetch(uri, sandbox);
      } catch (FetchFailedException e) {
        throw new FetchFailedException(FAILED + " uris[" + i + "] '" + uri.value() + "': " + e.getMessage());
      }
    }
  }

  private void fetch(FetchUri uri, Path sandbox) throws FetchFailedException {
    String value = uri.value().trim();
    String lower = value.toLowerCase(Locale.ROOT);
    Path target;
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      target = download(value, sandbox);
    } else {
      Path source;
      if (lower.startsWith("file://")) {
        try {
          source = Path.of(URI.create(value));
        } catch (IllegalArgumentException e) {
          throw new FetchFailedException("not a file URI (" + e.getMessage() + ")");
        }
      } else if (value.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
        throw new FetchFailedException("the local cluster fetches http, https and file URIs and paths only;"
            + " run this job on Mesos with --master URL for other schemes");
      } else {
        source = base.resolve(value);
        // A pipeline step's earlier outputs: outputs/<step>/<instance>/... in this run's directory.
        if (value.startsWith(OUTPUTS) && !Files.exists(source) && Files.exists(runDir.resolve(value))) {
          source = runDir.resolve(value);
        }
      }
      target = copy(source, sandbox);
    }
    if (uri.executable()) {
      makeExecutable(target);
    }
    if (uri.extract()) {
      extract(target, sandbox);
    }
  }

  private static Path copy(Path source, Path sandbox) throws FetchFailedException {
    if (Files.isDirectory(source)) {
      throw new FetchFailedException(source + " is a directory (uris fetch files)");
    }
    Path target = sandbox.resolve(source.getFileName().toString());
    try {
      // COPY_ATTRIBUTES keeps the permissions, so an executable script stays executable.
      Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (NoSuchFileException e) {
      throw new FetchFailedException("no such file " + source);
    } catch (IOException e) {
      throw new FetchFailedException("cannot copy " + source + ": " + e.getMessage());
    }
    return target;
  }

  private Path download(String value, Path sandbox) throws FetchFailedException {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new FetchFailedException("not a valid URI (" + e.getMessage() + ")");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new FetchFailedException("the URI names no file (its path must end in a file name)");
    }
    Path target = sandbox.resolve(name);
    if (http == null) {
      http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    }
    try {
      HttpResponse<Path> response = http.send(HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofFile(target));
      if (response.statusCode() / 100 != 2) {
        Files.deleteIfExists(target);
        throw new FetchFailedException("HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      throw new FetchFailedException(e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailedException("interrupted");
    }
    return target;
  }

  private static void makeExecutable(Path file) throws FetchFailedException {
    try {
      Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(file));
      perms.addAll(List.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_EXECUTE));
      Files.setPosixFilePermissions(file, perms);
    } catch (IOException | UnsupportedOperationException e) {
      throw new FetchFailedException("cannot make " + file.getFileName() + " executable: " + e.getMessage());
    }
  }

  static boolean isTar(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return TAR_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  private static void extract(Path file, Path sandbox) throws FetchFailedException {
    String name = file.getFileName().toString();
    if (isTar(name)) {
      untar(file, sandbox);
    } else if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      unzip(file, sandbox);
    }
  }

  private static void untar(Path file, Path sandbox) throws FetchFailedException {
    try {
      Process p = new ProcessBuilder("tar", "-C", sandbox.toString(), "-xf", file.toString())
          .redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TAR_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new FetchFailedException("tar did not finish extracting in " + TAR_TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new FetchFailedException("cannot extract it: tar exited " + p.exitValue() + ": "
            + new String(out, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new FetchFailedException("cannot run tar to extract it: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchFailedException("interrupted");
    }
  }

  private static void unzip(Path file, Path sandbox) throws FetchFailedException {
    Path root = sandbox.toAbsolutePath().normalize();
    try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path out = root.resolve(e.getName()).normalize();
        if (!out.startsWith(root)) {
          throw new FetchFailedException("cannot extract it: entry " + e.getName() + " points outside the sandbox");
        }
        if (e.isDirectory()) {
          Files.createDirectories(out);
        } else {
          Files.createDirectories(out.getParent());
          Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new FetchFailedException("cannot extract it: " + e.getMessage());
    }
  }
}
