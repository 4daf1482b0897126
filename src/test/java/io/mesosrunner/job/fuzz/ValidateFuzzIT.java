package io.mesosrunner.job.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.cli.FuzzCli;
import io.mesosrunner.job.fuzz.HostileJobFiles.Expect;
import io.mesosrunner.job.fuzz.HostileJobFiles.FuzzCase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds more than 10,000 generated malformed and hostile job files to {@code runner validate},
 * 100 files per in-process run, and checks that each file gets either {@code ok} or positioned
 * errors and nothing else: no crash, no stack trace, no hang, no process, no write outside the
 * temp dir. The seed is fixed; a failure names the seed, the case index and its category, so
 * {@code new HostileJobFiles(seed, Path.of("jobs")).generate(index)} replays it.
 */
class ValidateFuzzIT {

  private static final long SEED = Long.getLong("fuzz.seed", 20251125L);
  private static final int BATCH = 100;
  private static final Map<String, String> ENV = Map.of(HostileJobFiles.SET_VARIABLE, "set", "PATH", "/usr/bin");
  private static final Pattern ERROR = Pattern.compile("(.*?\\.yaml):(-?\\d+):(-?\\d+): (.*)");
  private static final Pattern SUMMARY = Pattern.compile("(\\d+) of (\\d+) files are invalid");

  @TempDir Path tmp;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void validateSurvivesTenThousandHostileFilesWithPositionedErrorsAndNoSideEffects() throws IOException {
    HostileJobFiles gen = new HostileJobFiles(SEED, Path.of("jobs"));
    assertThat(gen.size()).isGreaterThanOrEqualTo(10_000);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < gen.size(); i++) order.add(i);
    Collections.shuffle(order, new Random(SEED));

    List<String> failures = new ArrayList<>();
    Map<String, int[]> tally = new TreeMap<>(); // category -> {cases, valid, invalid}
    long slowestBatchMs = 0;
    long started = System.nanoTime();
    try (SideEffectGuard guard = new SideEffectGuard(tmp)) {
      for (int from = 0; from < order.size(); from += BATCH) {
        Path dir = Files.createDirectory(tmp.resolve("b" + from));
        Map<String, FuzzCase> byPath = new LinkedHashMap<>();
        for (int k = from; k < Math.min(from + BATCH, order.size()); k++) {
          FuzzCase c = gen.generate(order.get(k));
          Path file = dir.resolve("c" + c.index() + ".yaml");
          Files.write(file, c.content());
          byPath.put(file.toString(), c);
        }
        long t0 = System.nanoTime();
        FuzzCli.Result result = FuzzCli.run(ENV, args(byPath.keySet()));
        slowestBatchMs = Math.max(slowestBatchMs, (System.nanoTime() - t0) / 1_000_000);
        check(byPath, result, failures, tally);
        if (from % 2000 == 0) {
          // A sample of files alone must print exactly what they printed in the batch.
          String one = byPath.keySet().iterator().next();
          FuzzCli.Result alone = FuzzCli.run(ENV, "validate", one);
          if (!linesOf(result, one).equals(linesOf(alone, one))) {
            failures.add(describe(byPath.get(one)) + ": printed differently alone than in a batch");
          }
        }
        for (Path p : byPath.keySet().stream().map(Path::of).toList()) Files.delete(p);
        Files.delete(dir);
      }
      assertThat(guard.violations()).as("process starts and writes outside %s", tmp).isEmpty();
    }
    long seconds = (System.nanoTime() - started) / 1_000_000_000;
    System.out.printf("fuzz seed %d: %d cases in %d s (slowest batch of %d: %d ms)%n", SEED, gen.size(), seconds,
        BATCH, slowestBatchMs);
    tally.forEach((k, v) -> System.out.printf("  %-22s %5d cases, %5d ok, %5d refused%n", k, v[0], v[1], v[2]));
    assertThat(failures).as("fuzz failures with seed %d (first 40 of %d)", SEED, failures.size())
        .isEmpty();
  }

  @Test
  void theGuardRefusesAProcessStartAndNoticesAWriteOutsideTheTempDir() throws IOException {
    Path outside = Files.createTempFile("fuzz-guard", ".txt");
    try (SideEffectGuard guard = new SideEffectGuard(tmp)) {
      assertThatThrownBy(() -> new ProcessBuilder("true").start()).isInstanceOf(SecurityException.class);
      Files.writeString(outside, "x");
      Files.writeString(tmp.resolve("inside.txt"), "x");
      assertThat(guard.violations()).hasSize(2)
          .anySatisfy(v -> assertThat(v).startsWith("started a process: true"))
          .anySatisfy(v -> assertThat(v).isEqualTo("wrote " + outside));
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void theSameSeedGeneratesTheSameFiles() {
    HostileJobFiles a = new HostileJobFiles(7, Path.of("jobs"));
    HostileJobFiles b = new HostileJobFiles(7, Path.of("jobs"));
    for (int i = 0; i < a.size(); i += 97) {
      assertThat(a.generate(i).content()).isEqualTo(b.generate(i).content());
      assertThat(a.generate(i).category()).isEqualTo(b.generate(i).category());
    }
  }

  private static String[] args(Iterable<String> paths) {
    List<String> args = new ArrayList<>(List.of("validate"));
    paths.forEach(args::add);
    return args.toArray(String[]::new);
  }

  private static List<String> linesOf(FuzzCli.Result result, String path) {
    List<String> lines = new ArrayList<>();
    for (String l : (result.out() + result.err()).split("\n", -1)) {
      if (l.startsWith(path + ":")) lines.add(l);
    }
    return lines;
  }

  private static void check(Map<String, FuzzCase> byPath, FuzzCli.Result result, List<String> failures,
      Map<String, int[]> tally) {
    Map<String, Integer> oks = new HashMap<>();
    Map<String, List<String[]>> errors = new HashMap<>();
    String everything = result.out() + result.err();
    for (String line : everything.split("\n")) {
      if (line.startsWith("\tat ") || line.contains("Exception") || line.contains("runner: internal error")) {
        failures.add("stack trace or internal error: " + abbreviate(line));
      }
    }
    for (String line : result.out().split("\n")) {
      if (line.isEmpty()) continue;
      int at = line.indexOf(".yaml: ok (");
      String path = at < 0 ? null : line.substring(0, at + 5);
      if (path == null || !byPath.containsKey(path)) {
        failures.add("unexpected stdout line: " + abbreviate(line));
        continue;
      }
      oks.merge(path, 1, Integer::sum);
    }
    int summaries = 0;
    for (String line : result.err().split("\n")) {
      if (line.isEmpty()) continue;
      Matcher m = ERROR.matcher(line);
      if (m.matches() && byPath.containsKey(m.group(1))) {
        errors.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(new String[] {m.group(2), m.group(3), m.group(4)});
        continue;
      }
      Matcher s = SUMMARY.matcher(line);
      if (s.matches()) {
        summaries++;
        continue;
      }
      failures.add("unexpected stderr line (not path:line:col: message): " + abbreviate(line));
    }
    int invalid = 0;
    for (Map.Entry<String, FuzzCase> e : byPath.entrySet()) {
      FuzzCase c = e.getValue();
      String name = describe(c);
      int ok = oks.getOrDefault(e.getKey(), 0);
      List<String[]> errs = errors.getOrDefault(e.getKey(), List.of());
      int[] t = tally.computeIfAbsent(c.category(), k -> new int[3]);
      t[0]++;
      if (ok > 0) t[1]++;
      if (!errs.isEmpty()) {
        t[2]++;
        invalid++;
      }
      if (ok + (errs.isEmpty() ? 0 : 1) != 1 || ok > 1) {
        failures.add(name + ": expected exactly one outcome, got " + ok + " ok lines and " + errs.size() + " errors");
        continue;
      }
      if (c.expect() == Expect.VALID && ok != 1) {
        failures.add(name + ": expected ok, got " + show(errs));
      }
      if (c.expect() == Expect.INVALID && errs.isEmpty()) {
        failures.add(name + ": expected errors, got ok");
      }
      int[] bounds = bounds(c.content());
      boolean onExpectedLine = false;
      for (String[] err : errs) {
        int line = Integer.parseInt(err[0]);
        int col = Integer.parseInt(err[1]);
        if (line < 1 || col < 1 || line > bounds[0] || col > bounds[1]) {
          failures.add(name + ": position " + line + ":" + col + " outside the file (at most " + bounds[0]
              + " lines, " + bounds[1] + " columns): " + abbreviate(err[2]));
        }
        if (err[2].isBlank() || err[2].startsWith("cannot read job file")) {
          failures.add(name + ": unpositioned escape from the reader: " + abbreviate(err[2]));
        }
        if (line == c.expectedLine()) onExpectedLine = true;
      }
      if (c.expectedLine() > 0 && !errs.isEmpty() && !onExpectedLine) {
        failures.add(name + ": expected an error at line " + c.expectedLine() + ", got " + show(errs));
      }
    }
    int expectedCode = invalid > 0 ? 2 : 0;
    if (result.exitCode() != expectedCode) {
      failures.add("batch of " + byPath.keySet().iterator().next() + ": exit " + result.exitCode() + ", expected "
          + expectedCode);
    }
    if (summaries != (invalid > 0 ? 1 : 0) || (invalid > 0 && !result.err().contains(invalid + " of "
        + byPath.size() + " files are invalid"))) {
      failures.add("batch of " + byPath.keySet().iterator().next() + ": wrong or missing summary for " + invalid
          + " invalid files");
    }
  }

  /**
   * The largest line and column a position in these bytes can have: lines counted at every byte or
   * character YAML may take as a break, columns as the longest run of bytes between newlines, each
   * plus one for the end of the file.
   */
  static int[] bounds(byte[] content) {
    int breaks = 0;
    int longest = 0;
    int run = 0;
    for (int i = 0; i < content.length; i++) {
      int b = content[i] & 0xff;
      if (b == '\n' || (b == '\r' && (i + 1 == content.length || content[i + 1] != '\n'))) breaks++;
      if (b == 0x85 && i > 0 && (content[i - 1] & 0xff) == 0xC2) breaks++;
      if ((b == 0xA8 || b == 0xA9) && i > 1 && (content[i - 1] & 0xff) == 0x80 && (content[i - 2] & 0xff) == 0xE2) {
        breaks++;
      }
      if (b == '\n') {
        run = 0;
      } else {
        run++;
        longest = Math.max(longest, run);
      }
    }
    return new int[] {breaks + 1, longest + 1};
  }

  private static String describe(FuzzCase c) {
    return "seed " + SEED + " case " + c.index() + " (" + c.category() + ", " + c.content().length + " bytes: "
        + abbreviate(new String(c.content(), 0, Math.min(120, c.content().length),
            java.nio.charset.StandardCharsets.ISO_8859_1)) + ")";
  }

  private static String show(List<String[]> errs) {
    List<String> out = new ArrayList<>();
    for (String[] e : errs.subList(0, Math.min(5, errs.size()))) out.add(e[0] + ":" + e[1] + ": " + abbreviate(e[2]));
    return out.toString();
  }

  private static String abbreviate(String s) {
    String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
    StringBuilder out = new StringBuilder();
    t.codePoints().forEach(cp -> {
      if (cp < 0x20 || cp == 0x7f) out.append(String.format("\\x%02x", cp));
      else out.appendCodePoint(cp);
    });
    return out.toString();
  }
}
