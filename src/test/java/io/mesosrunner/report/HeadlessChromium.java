package io.mesosrunner.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, for tests that open a report in a real browser. Without a
 * Chromium installed a test is skipped, except under CI (the {@code CI} environment variable set),
 * where {@code .ci/run} installs it and its absence is a failure.
 */
public final class HeadlessChromium {

  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  private final Path binary;

  private HeadlessChromium(Path binary) {
    this.binary = binary;
  }

  /** The browser; skips the test when there is none and CI is not set, fails it under CI. */
  public static HeadlessChromium require() {
    Optional<Path> found = find();
    if (found.isEmpty()) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        fail("CI is set but no Chromium is installed (looked for " + NAMES + " on PATH and $CHROMIUM); "
            + ".ci/run installs Debian's chromium");
      }
      Assumptions.abort("no Chromium installed (apt-get install chromium); under CI=true this test fails instead");
    }
    return new HeadlessChromium(found.get());
  }

  static Optional<Path> find() {
    String explicit = System.getenv("CHROMIUM");
    if (explicit != null && !explicit.isBlank() && Files.isExecutable(Path.of(explicit))) return Optional.of(Path.of(explicit));
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String name : NAMES) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The DOM of {@code page} after its scripts ran. */
  public String dumpDom(Path page) throws IOException, InterruptedException {
    return new String(run(page, List.of("--dump-dom")), StandardCharsets.UTF_8);
  }

  /** A PNG of {@code page} at the given window size. */
  public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
    run(page, List.of("--hide-scrollbars", "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath()));
    if (!Files.isRegularFile(png)) fail("chromium wrote no screenshot to " + png);
  }

  private byte[] run(Path page, List<String> what) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Files.createTempFile("chromium", ".err");
    try {
      List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile));
      cmd.addAll(what);
      cmd.add(page.toAbsolutePath().toUri().toString());
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail("chromium did not finish within 120 s: " + Files.readString(err));
      }
      if (p.exitValue() != 0) fail("chromium exited with " + p.exitValue() + ": " + Files.readString(err));
      return Files.readAllBytes(out);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
