package io.mesosrunner.job.fuzz;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.mesosrunner.job.JobLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Deterministic generator of malformed and hostile job files. Case {@code i} of a given seed is
 * always the same bytes, so a failure names the seed and the index and can be replayed alone with
 * {@link #generate(int)}.
 */
final class HostileJobFiles {

  /** What {@code runner validate} must say about a case. */
  enum Expect { VALID, INVALID, EITHER }

  /**
   * One generated file.
   *
   * @param expectedLine when &gt; 0, some error of the file must be reported at this line
   */
  record FuzzCase(int index, String category, byte[] content, Expect expect, int expectedLine) {}

  private record Spec(byte[] content, Expect expect, int expectedLine) {
    static Spec of(String text, Expect expect, int line) {
      return new Spec(text.getBytes(UTF_8), expect, line);
    }

    static Spec of(String text, Expect expect) {
      return of(text, expect, 0);
    }
  }

  private interface Generator {
    Spec make(Random r);
  }

  private record Category(String name, int count, Generator generator) {}

  /** A valid job of five lines: version, name, command, cpus, mem. */
  static final String BASE = "version: 1\nname: fuzz-job\ncommand: echo hi\ncpus: 0.5\nmem: 64\n";

  /** Every field set, in flow and block styles. */
  static final String RICH = """
      version: 1
      name: rich
      command: [/bin/sh, -c, "echo $X"]
      cpus: 1.5
      mem: 1GiB
      disk: 100MiB
      gpus: 0
      ports: 1
      instances: 4
      parallelism: 2
      retries: 0
      timeout: 1h30m
      deadline: 2h
      env: {X: "1", Y: 'two', Z: "${FUZZ_SET}"}
      constraints: [hostname UNIQUE, "rack LIKE r[0-9]+"]
      role: analytics
      user: nobody
      uris: ["http://example.invalid/a.tgz"]
      container: {image: "alpine:3.20"}
      labels:
        team: data
        tier: "1"
      """;

  /** The variable the fuzz environment sets, so {@code ${FUZZ_SET}} resolves. */
  static final String SET_VARIABLE = "FUZZ_SET";

  private static final String[] TOKENS = {": ", "- ", "&a ", "*a", "!!str ", "!!java.lang.Runtime ", "? ", "{", "}",
      "[", "]", ",", "\t", "\r", "\r\n", "\n", "#", "'", "\"", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "<<: ",
      "~", "\u0085", "\u2028", "\uFEFF", "\0", "\u001b", "${X}", "$${", "1e309", "-", "0x1F", "\uD83D\uDE00",
      "\\", "\\x", "&", "*", "!", "@", "`", "%", "10000000000000000000000", " ", "  ", "null", "[[[[", "{a: {a: "};
  private static final byte[] ODD_BYTES = {(byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0x80, (byte) 0xed,
      (byte) 0xc3, (byte) 0xe2, (byte) 0xf0, (byte) 0xf8, 0, 1, 0x7f, 0x1b, '\t', '\r', '\n'};

  private final long seed;
  private final List<byte[]> validSeeds;
  private final List<Category> categories;
  private final int total;

  HostileJobFiles(long seed, Path jobsDir) {
    this.seed = seed;
    this.validSeeds = new ArrayList<>();
    try (Stream<Path> files = Files.list(jobsDir)) {
      for (Path p : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        validSeeds.add(Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    validSeeds.add(BASE.getBytes(UTF_8));
    validSeeds.add(RICH.getBytes(UTF_8));
    this.categories = List.of(
        new Category("mutation", 5200, this::mutation),
        new Category("deep-flow-list", 150, HostileJobFiles::deepFlowList),
        new Category("deep-flow-map", 150, HostileJobFiles::deepFlowMap),
        new Category("deep-block", 100, HostileJobFiles::deepBlock),
        new Category("huge-scalar", 40, HostileJobFiles::hugeScalar),
        new Category("big-number", 300, HostileJobFiles::bigNumber),
        new Category("alias-bomb", 200, HostileJobFiles::aliasBomb),
        new Category("encoding", 600, HostileJobFiles::encoding),
        new Category("control-char", 600, HostileJobFiles::controlChar),
        new Category("tab", 300, HostileJobFiles::tab),
        new Category("line-ends", 400, HostileJobFiles::lineEnds),
        new Category("tag", 400, HostileJobFiles::tag),
        new Category("multi-document", 200, HostileJobFiles::multiDocument),
        new Category("directive", 200, HostileJobFiles::directive),
        new Category("anchor", 200, HostileJobFiles::anchor),
        new Category("merge-key", 200, HostileJobFiles::mergeKey),
        new Category("non-string-key", 300, HostileJobFiles::nonStringKey),
        new Category("duplicate-key", 400, HostileJobFiles::duplicateKey),
        new Category("long-line", 40, HostileJobFiles::longLine),
        new Category("size-limit", 30, HostileJobFiles::sizeLimit),
        new Category("empty", 100, HostileJobFiles::empty),
        new Category("env-ref", 200, HostileJobFiles::envRef),
        new Category("regex-size-duration", 300, HostileJobFiles::regexSizeDuration),
        new Category("quoted-escape", 200, HostileJobFiles::quotedEscape));
    this.total = categories.stream().mapToInt(Category::count).sum();
  }

  long seed() {
    return seed;
  }

  int size() {
    return total;
  }

  List<String> categoryNames() {
    return categories.stream().map(c -> c.name() + " " + c.count()).toList();
  }

  /** Case {@code index}, 0 &lt;= index &lt; {@link #size()}; the same bytes every time. */
  FuzzCase generate(int index) {
    int rest = index;
    for (Category c : categories) {
      if (rest < c.count()) {
        // Mixed, because java.util.Random's first draws are nearly equal for neighbouring seeds.
        Random r = new Random(new java.util.SplittableRandom(seed * 1_000_003L + index).nextLong());
        Spec s = c.generator().make(r);
        return new FuzzCase(index, c.name(), s.content(), s.expect(), s.expectedLine());
      }
      rest -= c.count();
    }
    throw new IllegalArgumentException("index out of range: " + index + " (size " + total + ")");
  }

  // ---- mutations of valid files

  private Spec mutation(Random r) {
    byte[] b = validSeeds.get(r.nextInt(validSeeds.size())).clone();
    int edits = 1 + r.nextInt(6);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = r.nextInt(b.length);
      switch (r.nextInt(8)) {
        case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> b[at] = r.nextBoolean() ? ODD_BYTES[r.nextInt(ODD_BYTES.length)] : (byte) r.nextInt(256);
        case 2 -> b = splice(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), new byte[0]);
        case 3 -> b = splice(b, at, at, r.nextInt(4) == 0
            ? new byte[] {ODD_BYTES[r.nextInt(ODD_BYTES.length)]}
            : TOKENS[r.nextInt(TOKENS.length)].getBytes(UTF_8));
        case 4 -> {
          List<byte[]> lines = lines(b);
          int i = r.nextInt(lines.size());
          lines.add(i, lines.get(i));
          b = join(lines);
        }
        case 5 -> {
          List<byte[]> lines = lines(b);
          int i = r.nextInt(lines.size());
          int j = r.nextInt(lines.size());
          byte[] t = lines.get(i);
          lines.set(i, lines.get(j));
          lines.set(j, t);
          b = join(lines);
        }
        case 6 -> b = java.util.Arrays.copyOf(b, at);
        default -> {
          List<byte[]> lines = lines(b);
          lines.set(r.nextInt(lines.size()), (TOKENS[r.nextInt(TOKENS.length)] + "\n").getBytes(UTF_8));
          b = join(lines);
        }
      }
    }
    return new Spec(b, Expect.EITHER, 0);
  }

  // ---- nesting

  private static final String[] NEST_FIELDS = {"env", "labels", "uris", "command", "container", "extra"};

  private static int depth(Random r) {
    return JobLoader.MAX_DEPTH + 1 + r.nextInt(r.nextBoolean() ? 30 : 5000);
  }

  private static Spec deepFlowList(Random r) {
    int n = depth(r);
    String closing = r.nextInt(4) == 0 ? "" : "]".repeat(n);
    String field = NEST_FIELDS[r.nextInt(NEST_FIELDS.length)];
    String body = field.equals("command") ? BASE.replace("command: echo hi\n", "") : BASE;
    return Spec.of(body + field + ": " + "[".repeat(n) + closing + "\n", Expect.INVALID);
  }

  private static Spec deepFlowMap(Random r) {
    int n = depth(r);
    String field = NEST_FIELDS[r.nextInt(NEST_FIELDS.length)];
    String open = r.nextBoolean() ? "{a: " : "{a: {a: ";
    int opens = n * (open.length() / 4);
    String closing = r.nextInt(4) == 0 ? "" : "}".repeat(opens);
    return Spec.of(BASE + field + ": " + open.repeat(n) + "x" + closing + "\n", Expect.INVALID);
  }

  private static Spec deepBlock(Random r) {
    int n = JobLoader.MAX_DEPTH + 1 + r.nextInt(300);
    StringBuilder s = new StringBuilder(BASE).append("labels:\n");
    switch (r.nextInt(3)) {
      case 0 -> {
        for (int i = 1; i <= n; i++) s.append("  ".repeat(i)).append("a:\n");
        s.append("  ".repeat(n + 1)).append("x\n");
      }
      case 1 -> s.append("  ").append("- ".repeat(n)).append("x\n");
      default -> {
        for (int i = 1; i <= n; i++) s.append("  ".repeat(i)).append(i % 2 == 0 ? "- " : "").append("k:\n");
        s.append("  ".repeat(n + 2)).append("x\n");
      }
    }
    return Spec.of(s.toString(), Expect.INVALID);
  }

  // ---- huge values

  private static Spec hugeScalar(Random r) {
    int size = 900 * 1024;
    return switch (r.nextInt(9)) {
      case 0 -> Spec.of(BASE.replace("fuzz-job", "a".repeat(size)), Expect.INVALID, 2);
      case 1 -> Spec.of(BASE.replace("echo hi", "echo " + "x".repeat(size)), Expect.VALID);
      case 2 -> Spec.of(BASE + "k".repeat(size) + ": 1\n", Expect.INVALID, 6);
      case 3 -> Spec.of(BASE + "env:\n  A: \"" + "v".repeat(size) + "\"\n", Expect.VALID);
      case 4 -> Spec.of(BASE.replace("cpus: 0.5", "cpus: 1" + "0".repeat(size)), Expect.INVALID, 4);
      case 5 -> Spec.of(BASE.replace("instances", "x") + "instances: " + "9".repeat(size) + "\n", Expect.INVALID, 6);
      case 6 -> Spec.of(BASE + "# " + "c".repeat(size) + "\n", Expect.VALID);
      case 7 -> Spec.of(BASE.replace("command: echo hi", "command: |\n" + "  echo x\n".repeat(size / 9)),
          Expect.VALID);
      default -> Spec.of(BASE.replace("mem: 64", "mem: 0." + "0".repeat(size) + "1"), Expect.EITHER);
    };
  }

  private static final String[] NUMERIC_FIELDS = {"cpus", "mem", "disk", "gpus", "ports", "instances",
      "parallelism", "retries", "version"};

  private static Spec bigNumber(Random r) {
    String field = NUMERIC_FIELDS[r.nextInt(NUMERIC_FIELDS.length)];
    boolean wholeField = !(field.equals("cpus") || field.equals("mem") || field.equals("disk"));
    String[] fixed = {"1e309", "-1e309", "1e-400", "1.0e+400", ".inf", "-.Inf", ".NaN", "0x7fffffff", "0o777",
        "0b101", "1_000", "190:20:30", "-0", "+1", "1e3", "2147483648", "-2147483649", "4e9",
        "0.0000000000000000000000001", "99999999999999999999MiB", "1e5GiB", "1.7976931348623157e308",
        "4.9e-324", "0.", ".5", "1__0", "--1", "1e", "+.inf"};
    List<String> notFinite = List.of("1e309", "-1e309", "1.0e+400", ".inf", "-.Inf", ".NaN", "+.inf");
    String value;
    boolean invalid;
    if (r.nextBoolean()) {
      int digits = 20 + r.nextInt(r.nextBoolean() ? 400 : 5000);
      value = (r.nextBoolean() ? "" : "-") + "1" + "0".repeat(digits);
      invalid = digits >= 309 || wholeField;
    } else {
      value = fixed[r.nextInt(fixed.length)];
      invalid = notFinite.contains(value);
    }
    List<String> lines = new ArrayList<>(BASE.lines().filter(l -> !l.startsWith(field + ":")).toList());
    lines.add(field + ": " + value);
    return Spec.of(String.join("\n", lines) + "\n", invalid ? Expect.INVALID : Expect.EITHER,
        invalid ? lines.size() : 0);
  }

  private static Spec aliasBomb(Random r) {
    int levels = 2 + r.nextInt(11);
    int fan = 2 + r.nextInt(11);
    StringBuilder s = new StringBuilder();
    boolean under = r.nextBoolean();
    String indent = under ? "  " : "";
    if (under) s.append(BASE).append(r.nextBoolean() ? "labels:\n" : "env:\n");
    String leaf = switch (r.nextInt(3)) {
      case 0 -> "[lol, lol, lol]";
      case 1 -> "{k: lol}";
      default -> "lol";
    };
    s.append(indent).append("a0: &a0 ").append(leaf).append('\n');
    for (int i = 1; i < levels; i++) {
      s.append(indent).append('a').append(i).append(": &a").append(i).append(' ');
      boolean map = r.nextInt(3) == 0;
      s.append(map ? '{' : '[');
      for (int j = 0; j < fan; j++) {
        if (j > 0) s.append(", ");
        if (map) s.append('k').append(j).append(": ");
        s.append("*a").append(i - 1);
      }
      s.append(map ? "}\n" : "]\n");
    }
    if (r.nextInt(5) == 0) s.append(indent).append("self: &self [x, *self]\n");
    return Spec.of(s.toString(), Expect.INVALID);
  }

  // ---- bytes and characters

  private static final String[] EOLS = {"\n", "\r\n", "\r"};

  private static String withEol(String text, String eol) {
    return text.replace("\n", eol);
  }

  /** BASE with {@code insert} (raw bytes) at the end of line {@code line} (1..5), with the given line end. */
  private static byte[] insertAtLineEnd(int line, byte[] insert, String eol, Random r) {
    List<String> lines = BASE.lines().toList();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      String text = lines.get(i);
      if (i + 1 == line) {
        int cut = text.length() - r.nextInt(3);
        out.writeBytes(text.substring(0, cut).getBytes(UTF_8));
        out.writeBytes(insert);
        out.writeBytes(text.substring(cut).getBytes(UTF_8));
      } else {
        out.writeBytes(text.getBytes(UTF_8));
      }
      out.writeBytes(eol.getBytes(UTF_8));
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
    return b;
  }

  private static Spec encoding(Random r) {
    String eol = EOLS[r.nextInt(EOLS.length)];
    String text = withEol(BASE, eol);
    int line = 1 + r.nextInt(5);
    byte[][] badUtf8 = {
        bytes(0xE9), bytes(0xFC, 0x62, 0x65, 0x72), // Latin-1 é, über
        bytes(0xED, 0xA0, 0x80), bytes(0xED, 0xBF, 0xBF), // lone surrogates
        bytes(0xC0, 0xAF), bytes(0xC1, 0xBF), bytes(0xE0, 0x80, 0xAF), bytes(0xF0, 0x80, 0x80, 0xAF), // overlong
        bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xFC, 0x84, 0x80, 0x80, 0x80, 0x80), // 5- and 6-byte forms
        bytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
        bytes(0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80), // CESU-8 emoji
        bytes(0x80), bytes(0xBF), bytes(0xFE), bytes(0xFF)};
    return switch (r.nextInt(12)) {
      case 0 -> new Spec(text.getBytes(UTF_16LE), Expect.INVALID, 1);
      case 1 -> new Spec(text.getBytes(UTF_16BE), Expect.INVALID, 1);
      case 2 -> new Spec(concat(bytes(0xFF, 0xFE), text.getBytes(UTF_16LE)), Expect.INVALID, 1);
      case 3 -> new Spec(concat(bytes(0xFE, 0xFF), text.getBytes(UTF_16BE)), Expect.INVALID, 1);
      case 4 -> new Spec(text.getBytes(Charset.forName(r.nextBoolean() ? "UTF-32LE" : "UTF-32BE")), Expect.INVALID, 1);
      case 5 -> new Spec(concat(bytes(0xEF, 0xBB, 0xBF), text.getBytes(UTF_8)), Expect.VALID, 0);
      case 6 -> new Spec(concat(bytes(0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF), text.getBytes(UTF_8)), Expect.EITHER, 0);
      case 7, 8 -> new Spec(insertAtLineEnd(line, badUtf8[r.nextInt(badUtf8.length)], eol, r), Expect.INVALID, line);
      case 9 -> new Spec(insertAtLineEnd(line, r.nextBoolean() ? bytes(0) : bytes(0xE2, 0x82), eol, r),
          Expect.INVALID, line);
      case 10 -> new Spec(insertAtLineEnd(line,
          concat("\uD83D\uDE00\u00e9\u4e2d".repeat(1 + r.nextInt(3)).getBytes(UTF_8), bytes(0xFF)), eol, r),
          Expect.INVALID, line);
      default -> new Spec((withEol(BASE + "labels: {team: \"\u65e5\u672c\u8a9e\uD83D\uDE00\", "
          + "\u00e9t\u00e9: caf\u00e9}\n", eol)).getBytes(UTF_8), Expect.VALID, 0);
    };
  }

  private static int disallowedCodePoint(Random r) {
    int[] fixed = {0x7F, 0x80, 0x84, 0x86, 0x9F, 0xFFFE, 0xFFFF, 0x0B, 0x0C, 0x1B, 0x00};
    if (r.nextBoolean()) return fixed[r.nextInt(fixed.length)];
    int c = r.nextInt(0x20);
    return (c == 0x09 || c == 0x0A || c == 0x0D) ? 0x01 : c;
  }

  private static Spec controlChar(Random r) {
    String eol = EOLS[r.nextInt(EOLS.length)];
    int line = 1 + r.nextInt(5);
    String c = new String(Character.toChars(disallowedCodePoint(r)));
    String prefix = r.nextInt(3) == 0 ? "\uD83D\uDE00\u00e9" : "";
    String insert = switch (r.nextInt(4)) {
      case 0 -> prefix + c;
      case 1 -> " # " + prefix + c;
      case 2 -> prefix + c + prefix;
      default -> c + c + c;
    };
    return new Spec(insertAtLineEnd(line, insert.getBytes(UTF_8), eol, r), Expect.INVALID, line);
  }

  private static Spec tab(Random r) {
    String eol = EOLS[r.nextInt(EOLS.length)];
    return switch (r.nextInt(5)) {
      case 0 -> Spec.of(withEol(BASE + "env:\n\tA: x\n", eol), Expect.INVALID, 7);
      case 1 -> {
        int line = 2 + r.nextInt(4);
        List<String> lines = new ArrayList<>(BASE.lines().toList());
        lines.set(line - 1, "\t" + lines.get(line - 1));
        yield Spec.of(withEol(String.join("\n", lines) + "\n", eol), Expect.INVALID, line);
      }
      case 2 -> Spec.of(withEol(BASE.replace("name: ", "name:\t"), eol), Expect.EITHER);
      case 3 -> Spec.of(withEol(BASE.replace("echo hi", "'echo\thi'"), eol), Expect.VALID);
      default -> Spec.of(withEol(BASE + "env: {\tA: x,\tB:\ty\t}\n", eol), Expect.EITHER);
    };
  }

  private static Spec lineEnds(Random r) {
    String text = BASE;
    int line = 0;
    if (r.nextBoolean()) {
      line = 1 + r.nextInt(6);
      List<String> lines = new ArrayList<>(BASE.lines().toList());
      lines.add(line - 1, "bogus: 1");
      text = String.join("\n", lines) + "\n";
    }
    Expect expect = line > 0 ? Expect.INVALID : Expect.VALID;
    return switch (r.nextInt(5)) {
      case 0 -> Spec.of(withEol(text, "\r\n"), expect, line);
      case 1 -> Spec.of(withEol(text, "\r"), expect, line);
      case 2 -> {
        StringBuilder s = new StringBuilder();
        for (String l : text.lines().toList()) s.append(l).append(EOLS[r.nextInt(EOLS.length)]);
        yield Spec.of(s.toString(), expect, line);
      }
      case 3 -> Spec.of(withEol(text, new String[] {"\u0085", "\u2028", "\u2029"}[r.nextInt(3)]), Expect.EITHER);
      default -> Spec.of(withEol(text, "\r\n").replace("\r\n", r.nextBoolean() ? "\r\r\n" : "\n\r"),
          line > 0 ? Expect.INVALID : Expect.EITHER, 0);
    };
  }

  // ---- YAML features

  private static final String[] TAGS = {"!!java.lang.Runtime", "!!python/object:os.system",
      "!!python/object/apply:os.system", "!<tag:yaml.org,2002:java.lang.Runtime>", "!!javax.script.ScriptEngineManager",
      "!local", "!!binary", "!!set", "!!omap", "!!pairs", "!!java.net.URLClassLoader", "!foo!bar",
      "!!python/name:os.system", "!ruby/object:Gem::Installer", "!!java.util.HashMap"};

  private static Spec tag(Random r) {
    String tag = TAGS[r.nextInt(TAGS.length)];
    if (tag.equals("!foo!bar")) {
      return Spec.of("%TAG !foo! tag:evil.example,2000:\n---\n" + BASE.replace("echo hi", tag + " echo hi"),
          Expect.INVALID, 5);
    }
    int line = 1 + r.nextInt(5);
    List<String> lines = new ArrayList<>(BASE.lines().toList());
    String l = lines.get(line - 1);
    switch (r.nextInt(4)) {
      case 0 -> lines.set(line - 1, l.replace(": ", ": " + tag + " "));
      case 1 -> lines.set(line - 1, tag + " " + l);
      case 2 -> lines.set(line - 1, l.replaceFirst(": .*", ": " + tag
          + " [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]"));
      default -> {
        lines.add(0, "--- " + tag);
        line = 1;
      }
    }
    return Spec.of(String.join("\n", lines) + "\n", Expect.INVALID, line);
  }

  private static Spec multiDocument(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Spec.of(BASE + "---\n" + BASE, Expect.INVALID, 6);
      case 1 -> Spec.of(BASE + "...\n" + BASE, Expect.INVALID);
      case 2 -> Spec.of("---\n" + BASE + "...\n", Expect.VALID);
      case 3 -> Spec.of("---\n" + BASE + "---\n", Expect.INVALID);
      case 4 -> Spec.of(BASE + "---\ngarbage: [\n", Expect.INVALID);
      default -> Spec.of("---\n".repeat(2 + r.nextInt(1000)), Expect.INVALID);
    };
  }

  private static Spec directive(Random r) {
    return switch (r.nextInt(9)) {
      case 0 -> Spec.of("%YAML 2.0\n---\n" + BASE, Expect.INVALID, 1);
      case 1 -> Spec.of("%YAML 1.1\n---\n" + BASE, Expect.VALID);
      case 2 -> Spec.of("%YAML 1.2\n---\n" + BASE, Expect.EITHER);
      case 3 -> Spec.of("%YAML 1.1\n%YAML 1.1\n---\n" + BASE, Expect.INVALID);
      case 4 -> Spec.of("%FOO bar baz\n---\n" + BASE, Expect.EITHER);
      case 5 -> Spec.of("%YAML 1.1\n" + BASE, Expect.INVALID);
      case 6 -> Spec.of("%TAG ! tag:evil.example,2000:\n---\n" + BASE, Expect.EITHER);
      case 7 -> Spec.of("%YAML " + "9".repeat(1 + r.nextInt(40)) + "." + "9".repeat(1 + r.nextInt(40)) + "\n---\n"
          + BASE, Expect.INVALID, 1);
      default -> Spec.of("%TAG !x! " + "y".repeat(1 + r.nextInt(5000)) + "\n---\n" + BASE, Expect.EITHER);
    };
  }

  private static Spec anchor(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> Spec.of(BASE.replace("name: ", "name: &n ").replace("cpus: ", "cpus: &c "), Expect.VALID);
      case 1 -> Spec.of(BASE + "labels: {a: &x v, b: *x, c: *x}\n", Expect.VALID);
      case 2 -> Spec.of(BASE + "env: &e {A: x}\n", Expect.VALID);
      case 3 -> Spec.of("&k version: 1\n" + BASE.substring("version: 1\n".length()), Expect.VALID);
      default -> Spec.of(BASE + "labels: &l\n  " + "&a" + r.nextInt(1000) + " k: &v v\n", Expect.VALID);
    };
  }

  private static Spec mergeKey(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> Spec.of(BASE + "<<: {cpus: 1}\n", Expect.INVALID, 6);
      case 1 -> Spec.of(BASE + "env:\n  <<: {A: x}\n", Expect.INVALID, 7);
      case 2 -> Spec.of(BASE + "labels: &b {A: x}\nenv:\n  <<: *b\n", Expect.INVALID);
      default -> Spec.of(BASE + "container: {<<: {image: x}}\n", Expect.INVALID, 6);
    };
  }

  private static Spec nonStringKey(Random r) {
    String[] keys = {"? [a, b]\n: 1", "[a]: 1", "{a: 1}: x", "? {a: 1}\n: x", "null: x", "~: x", "? \n: x",
        "1: x", "true: x", "? - a\n  - b\n: x", "!!binary aGk=: x", "? |\n  text\n: x"};
    String key = keys[r.nextInt(keys.length)];
    // A scalar key such as 1 or true is a fine env or label name.
    Expect inMap = key.startsWith("1:") || key.startsWith("true:") || key.startsWith("? |") ? Expect.EITHER
        : Expect.INVALID;
    int inMapLine = inMap == Expect.INVALID ? 7 : 0;
    return switch (r.nextInt(4)) {
      case 0 -> Spec.of(BASE + key + "\n", Expect.INVALID, 6);
      case 1 -> Spec.of(BASE + "env:\n  " + key.replace("\n", "\n  ") + "\n", inMap, inMapLine);
      case 2 -> Spec.of(BASE + "labels:\n  " + key.replace("\n", "\n  ") + "\n", inMap, inMapLine);
      default -> Spec.of(BASE + "container:\n  image: x\n  " + key.replace("\n", "\n  ") + "\n", Expect.INVALID, 8);
    };
  }

  private static Spec duplicateKey(Random r) {
    switch (r.nextInt(5)) {
      case 0 -> {
        List<String> lines = new ArrayList<>(BASE.lines().toList());
        int i = r.nextInt(lines.size());
        String dup = lines.get(i);
        if (r.nextBoolean()) {
          String key = dup.substring(0, dup.indexOf(':'));
          String quoted = switch (r.nextInt(3)) {
            case 0 -> "'" + key + "'";
            case 1 -> "\"" + key + "\"";
            default -> "\"\\x" + Integer.toHexString(key.charAt(0)) + key.substring(1) + "\"";
          };
          dup = quoted + dup.substring(dup.indexOf(':'));
        }
        lines.add(dup);
        return Spec.of(String.join("\n", lines) + "\n", Expect.INVALID, lines.size());
      }
      case 1 -> {
        return Spec.of(BASE + "env:\n  A: x\n  B: y\n  A: z\n", Expect.INVALID, 9);
      }
      case 2 -> {
        return Spec.of(BASE + "labels: {a: x, b: y, a: x}\n", Expect.INVALID, 6);
      }
      case 3 -> {
        return Spec.of(BASE + "container:\n  image: a\n  image: b\n", Expect.INVALID, 8);
      }
      default -> {
        return Spec.of(BASE + "env:\n  A: x\n" + BASE.replace("mem: 64\n", "") + "env: {}\n", Expect.INVALID, 8);
      }
    }
  }

  private static Spec longLine(Random r) {
    int n = 300_000 + r.nextInt(200_000);
    return switch (r.nextInt(8)) {
      case 0 -> Spec.of(BASE + "# " + "c".repeat(n) + "\n", Expect.VALID);
      case 1 -> Spec.of(BASE.replace("echo hi", "echo " + "x".repeat(n)), Expect.VALID);
      case 2 -> Spec.of(BASE + "uris: [" + "'a',".repeat(n / 4) + "'a']\n", Expect.EITHER);
      case 3 -> Spec.of(BASE + "uris: [" + "[],".repeat(30_000) + "[]]\n", Expect.INVALID, 6);
      case 4 -> Spec.of(BASE + "k".repeat(n) + ": 1\n", Expect.INVALID, 6);
      case 5 -> Spec.of(BASE.replace("name: ", "name:" + " ".repeat(n)), Expect.VALID);
      case 6 -> {
        StringBuilder s = new StringBuilder(BASE).append("env: {");
        for (int i = 0; i < 20_000; i++) s.append("A").append(i).append(": x, ");
        yield Spec.of(s.append("}\n").toString(), Expect.VALID);
      }
      default -> Spec.of(BASE + "constraints: [" + "'a LIKE b',".repeat(20_000) + "]\n", Expect.VALID);
    };
  }

  private static Spec sizeLimit(Random r) {
    int max = JobLoader.MAX_BYTES;
    return switch (r.nextInt(5)) {
      case 0 -> Spec.of(padded(BASE + "#", max), Expect.VALID);
      case 1 -> Spec.of(padded(BASE + "#", max - 1 - r.nextInt(10)), Expect.VALID);
      case 2 -> Spec.of(padded(BASE + "#", max + 1 + r.nextInt(1000)), Expect.INVALID, 1);
      case 3 -> {
        byte[] b = new byte[max + 1];
        java.util.Arrays.fill(b, (byte) 0xFF);
        yield new Spec(b, Expect.INVALID, 1);
      }
      default -> {
        // Fewer code points than bytes: exactly the byte limit in two-byte characters.
        String head = BASE + "#";
        int room = max - head.length();
        yield new Spec(concat(head.getBytes(UTF_8), "\u00e9".repeat(room / 2).getBytes(UTF_8),
            "x".repeat(room % 2).getBytes(ISO_8859_1)), Expect.VALID, 0);
      }
    };
  }

  private static String padded(String head, int size) {
    return head + "x".repeat(size - head.length());
  }

  private static Spec empty(Random r) {
    String[] texts = {"", "\n", " ", "\uFEFF", "# c\n", "---\n", "...\n", "---\n...\n", "~\n", "null\n", "[]\n",
        "{}\n", "''\n", "\"\"\n", "-\n", ":\n", "?\n", "&a\n", "*a\n", "!!null\n", "|\n", ">\n",
        "%YAML 1.1\n---\n", "\r\n\r\n", "\t\n", "\r", "\u0085", "\n".repeat(1000), "- - -\n", "[[]]\n"};
    return Spec.of(texts[r.nextInt(texts.length)], Expect.INVALID);
  }

  private static Spec envRef(Random r) {
    record Ref(String value, Expect expect) {}
    Ref[] refs = {
        new Ref("${" + "A".repeat(1 + r.nextInt(10_000)) + "}", Expect.INVALID),
        new Ref("${UNTERMINATED", Expect.INVALID),
        new Ref("$${X}", Expect.VALID),
        new Ref("${" + SET_VARIABLE + "}", Expect.VALID),
        new Ref("${1BAD}", Expect.INVALID),
        new Ref("${" + SET_VARIABLE + "}}}}", Expect.VALID),
        new Ref("${${" + SET_VARIABLE + "}}", Expect.INVALID),
        new Ref("${}", Expect.INVALID),
        new Ref("$".repeat(1 + r.nextInt(1000)) + "{", Expect.EITHER),
        new Ref(("${" + SET_VARIABLE + "}").repeat(1 + r.nextInt(5000)), Expect.VALID),
        new Ref("${" + SET_VARIABLE + "} ${NOT_SET_HERE_" + r.nextInt(100) + "}", Expect.INVALID)};
    Ref ref = refs[r.nextInt(refs.length)];
    return Spec.of(BASE + "env:\n  A: \"" + ref.value() + "\"\n", ref.expect(), ref.expect() == Expect.INVALID ? 7 : 0);
  }

  private static Spec regexSizeDuration(Random r) {
    String[] regexes = {"(a+)+$", "[", "(?<n>", "a{99999999999}", "\\\\", "(?=", "*", "\\\\p{Nope}", "(?i)x",
        "x".repeat(10_000) + "(", "((((((((((((((((((((a))))))))))))))))))))", "\\\\Q", "[\\\\x{110000}]",
        "(?<" + "n".repeat(1000) + ">x)", "a{2,1}", "\\\\k<none>"};
    String[] sizes = {"1e5GiB", "99999999999999999999999999TiB", "9".repeat(400) + "TiB", "-1MiB", "0.0000001B",
        "  512  MiB ", "512 mib", "512XiB", "1.5.5GiB", ".GiB", "1" + "0".repeat(5000), "0", "NaN", "Infinity"};
    String[] durations = {"9".repeat(400) + "h", "99999999999999999999d", "1h1h", "1s1m", "0.5ms", "1.5h30m",
        "1" + "0".repeat(20) + "ms", "-1s", "1 h", "1h ", "", "ms", "1" + ".5".repeat(100) + "s",
        "1d".repeat(5000), "9223372036854775807s", "9223372036854775808s", "106751991167300d"};
    return switch (r.nextInt(3)) {
      case 0 -> Spec.of(BASE + "constraints: [\"host LIKE " + regexes[r.nextInt(regexes.length)] + "\", "
          + "\"rack " + (r.nextBoolean() ? "UNLIKE" : "BOGUS") + " x\"]\n", Expect.EITHER);
      case 1 -> Spec.of(BASE.replace("mem: 64", "mem: \"" + sizes[r.nextInt(sizes.length)] + "\"")
          + "disk: " + sizes[r.nextInt(sizes.length)] + "\n", Expect.EITHER);
      default -> Spec.of(BASE + "timeout: \"" + durations[r.nextInt(durations.length)] + "\"\ndeadline: "
          + durations[r.nextInt(durations.length)] + "\n", Expect.EITHER);
    };
  }

  private static Spec quotedEscape(Random r) {
    String[] escapes = {"\\0", "\\e", "\\x85", "\\u2028", "\\U0010FFFF", "\\uD800", "\\uDFFF\\uD800",
        "\\U00110000", "\\UFFFFFFFF", "\\x", "\\q", "\\u12", "\\N\\_\\L\\P", "\\x1b[2J\\x1b]0;pwned\\x07", "\\t\\r\\n",
        "\\\n  continued", "\\" + "\\".repeat(r.nextInt(10))};
    String e = escapes[r.nextInt(escapes.length)];
    return switch (r.nextInt(3)) {
      case 0 -> Spec.of(BASE.replace("echo hi", "\"echo " + e + "\""), Expect.EITHER);
      case 1 -> Spec.of(BASE.replace("fuzz-job", "\"fuzz" + e + "\""), Expect.EITHER);
      default -> Spec.of(BASE + "labels: {\"k" + e + "\": \"v" + e + "\"}\n", Expect.EITHER);
    };
  }

  // ---- byte helpers

  private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
    byte[] out = new byte[b.length - (to - from) + insert.length];
    System.arraycopy(b, 0, out, 0, from);
    System.arraycopy(insert, 0, out, from, insert.length);
    System.arraycopy(b, to, out, from + insert.length, b.length - to);
    return out;
  }

  /** Lines with their '\n'. */
  private static List<byte[]> lines(byte[] b) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n') {
        lines.add(java.util.Arrays.copyOfRange(b, start, i + 1));
        start = i + 1;
      }
    }
    if (start < b.length || lines.isEmpty()) lines.add(java.util.Arrays.copyOfRange(b, start, b.length));
    return lines;
  }

  private static byte[] join(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) out.writeBytes(l);
    return out.toByteArray();
  }
}
