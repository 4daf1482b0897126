package io.mesosrunner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Rooms a reader can hold in their head: no file under {@code src/main/java} longer than
 * {@value #MAX_FILE_LINES} lines, no method or constructor there longer than
 * {@value #MAX_METHOD_LINES}. A file that grows past the limit is split along a seam a reader can
 * name (see ARCHITECTURE.md), not squeezed.
 *
 * <p>How it counts. A file's length is its physical lines, everything included. A method's
 * length is the physical lines from the line where its body's header starts (the first line after
 * the previous {@code ;}, <code>{</code> or <code>}</code>: annotations and the signature, not the
 * javadoc above it) to the line of its closing brace, both included, and blank and comment lines
 * inside the body included too: a reader reads them as well, and a long comment in a method is a
 * sign the method does several things. The scanner first blanks out comments and string, text
 * block and character literals (keeping line breaks), then counts braces. A <code>{</code> opens a
 * method body when the text before it ends in {@code )} (optionally followed by {@code throws
 * ...}), does not start with a statement keyword ({@code if}, {@code for}, {@code catch}, ...), and
 * does not declare a type ({@code record R(...)}) or create an anonymous class ({@code new T()});
 * everything up to its matching <code>}</code> counts for that method, including lambdas, local
 * and anonymous classes inside it. Compact record constructors, initializer blocks and enum
 * constant bodies with no parameter list are not measured as methods.
 */
class SourceSizeTest {

  static final int MAX_FILE_LINES = 400;
  static final int MAX_METHOD_LINES = 80;

  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void noMainFileIsLongerThan400Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path file : javaFiles()) {
      int lines = lines(Files.readString(file, StandardCharsets.UTF_8));
      if (lines > MAX_FILE_LINES) tooLong.add(MAIN.relativize(file) + ": " + lines + " lines");
    }
    assertThat(tooLong).as("files over %d lines: split each along a seam", MAX_FILE_LINES).isEmpty();
  }

  @Test
  void noMainMethodIsLongerThan80Lines() throws IOException {
    List<String> tooLong = new ArrayList<>();
    for (Path file : javaFiles()) {
      for (Method m : methods(Files.readString(file, StandardCharsets.UTF_8))) {
        if (m.lines() > MAX_METHOD_LINES) {
          tooLong.add(MAIN.relativize(file) + ":" + m.firstLine() + ": " + m.name() + " is " + m.lines() + " lines");
        }
      }
    }
    assertThat(tooLong).as("methods over %d lines", MAX_METHOD_LINES).isEmpty();
  }

  @Test
  void scannerMeasuresMethodsAndSkipsWhatIsNotOne() {
    String source = """
        class A {
          /** A comment with a { brace. */
          @Override
          public String toString() {
            String s = "}{ \\" }";
            char c = '{';
            Runnable r = () -> {
              if (s.isEmpty()) {
                return;
              }
            };
            return s + c; // }
          }

          record R(int x) {
            R {
              if (x < 0) throw new IllegalArgumentException();
            }
          }

          static <T> T pick(List<T> xs)
              throws java.io.IOException {
            Object o = new Object() {
              int inner() {
                return 1;
              }
            };
            String t = \"""
                } } {
                \""";
            return xs.get(0);
          }
        }
        """;
    assertThat(methods(source)).containsExactly(
        new Method("toString", 3, 11),
        new Method("pick", 21, 12));
  }

  @Test
  void fileLengthIsPhysicalLines() {
    assertThat(lines("a\nb\n")).isEqualTo(2);
    assertThat(lines("a\nb")).isEqualTo(2);
    assertThat(lines("")).isZero();
  }

  /** A method found by the scanner: its name, the line its header starts on (1-based), its length. */
  record Method(String name, int firstLine, int lines) {
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<Path> found = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
      assertThat(found).as("sources under %s", MAIN.toAbsolutePath()).isNotEmpty();
      return found;
    }
  }

  static int lines(String text) {
    if (text.isEmpty()) return 0;
    int count = (int) text.chars().filter(ch -> ch == '\n').count();
    return text.endsWith("\n") ? count : count + 1;
  }

  private static final Set<String> STATEMENTS = Set.of("if", "else", "for", "while", "do", "switch", "catch",
      "try", "finally", "synchronized", "return", "case", "yield", "throw");
  private static final Pattern SIGNATURE = Pattern.compile(
      "(?s)(.*?)\\b([A-Za-z_$][\\w$]*)\\s*\\((.*)\\)\\s*(throws\\s+[\\w$.<>,?\\s]+)?");
  private static final Pattern ANNOTATION = Pattern.compile("@[\\w$.]+(\\s*\\([^)]*\\))?");
  private static final Pattern DECLARES_TYPE = Pattern.compile("\\b(class|interface|enum|record)\\b");

  /** The methods and constructors of one source file, in order (nested ones inside a method are not listed). */
  static List<Method> methods(String source) {
    String code = blankCommentsAndLiterals(source);
    List<Method> found = new ArrayList<>();
    int headerStart = 0;
    for (int i = 0; i < code.length(); i++) {
      char ch = code.charAt(i);
      if (ch == ';' || ch == '}') {
        headerStart = i + 1;
      } else if (ch == '{') {
        String header = code.substring(headerStart, i);
        String name = methodName(ANNOTATION.matcher(header).replaceAll(" ").strip());
        if (name == null) {
          headerStart = i + 1;
          continue;
        }
        int end = matchingBrace(code, i);
        int first = lineAt(code, headerStart + leadingSpace(header));
        found.add(new Method(name, first, lineAt(code, end) - first + 1));
        i = end;
        headerStart = end + 1;
      }
    }
    return found;
  }

  /** The name declared by a method or constructor header, or null when the brace opens something else. */
  private static String methodName(String header) {
    Matcher m = SIGNATURE.matcher(header);
    if (!m.matches()) return null;
    String before = m.group(1).strip();
    String firstWord = header.split("[^\\w$]", 2)[0];
    if (STATEMENTS.contains(firstWord) || STATEMENTS.contains(m.group(2))) return null;
    if (DECLARES_TYPE.matcher(before).find() || before.endsWith("new") || before.contains("=")) return null;
    if (before.endsWith(".") || before.endsWith("->")) return null;
    if (before.isEmpty() && !Character.isUpperCase(m.group(2).charAt(0))) return null; // a call such as foo(x) {
    return m.group(2);
  }

  private static int matchingBrace(String code, int open) {
    int depth = 0;
    for (int i = open; i < code.length(); i++) {
      if (code.charAt(i) == '{') depth++;
      if (code.charAt(i) == '}' && --depth == 0) return i;
    }
    throw new IllegalStateException("unbalanced braces after offset " + open);
  }

  private static int leadingSpace(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  private static int lineAt(String code, int index) {
    int line = 1;
    for (int i = 0; i < index && i < code.length(); i++) {
      if (code.charAt(i) == '\n') line++;
    }
    return line;
  }

  /** The source with comments and literals replaced by spaces; line breaks stay where they were. */
  static String blankCommentsAndLiterals(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int end;
      if (s.startsWith("//", i)) {
        end = s.indexOf('\n', i);
        end = end < 0 ? s.length() : end;
      } else if (s.startsWith("/*", i)) {
        end = s.indexOf("*/", i + 2);
        end = end < 0 ? s.length() : end + 2;
      } else if (s.startsWith("\"\"\"", i)) {
        end = literalEnd(s, i + 3, "\"\"\"");
      } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
        end = literalEnd(s, i + 1, String.valueOf(s.charAt(i)));
      } else {
        out.append(s.charAt(i++));
        continue;
      }
      for (int k = i; k < end; k++) out.append(s.charAt(k) == '\n' ? '\n' : ' ');
      i = end;
    }
    return out.toString();
  }

  /** The index just past the closing quote(s), skipping backslash escapes. */
  private static int literalEnd(String s, int from, String close) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == '\\') {
        i += 2;
      } else if (s.startsWith(close, i)) {
        return i + close.length();
      } else {
        i++;
      }
    }
    return s.length();
  }
}
