package io.mesosrunner.job;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads job files (version 1) into validated {@link Job}s.
 *
 * <p>The file is parsed safely: only to YAML nodes (no object construction, so no tag can
 * instantiate a Java type), at most {@value #MAX_BYTES} bytes, at most {@value #MAX_ALIASES}
 * aliases to collections and at most {@value #MAX_DEPTH} levels of nesting. Every problem a file
 * has is reported at once, each with the line and column of the YAML node it came from, sorted by
 * position: syntax, unknown or duplicate fields (with a did-you-mean suggestion), wrong types,
 * out-of-range values (Jakarta Bean Validation constraints on {@link Job}, checked by Hibernate
 * Validator) and unset {@code ${VAR}} references in {@code env}.
 *
 * <p>{@link #load} and {@link #parse} throw nothing but {@link JobFileException}. Instances are
 * immutable and safe to share between threads.
 */
public final class JobLoader {

  /** Largest job file accepted, in bytes. */
  public static final int MAX_BYTES = 1024 * 1024;
  /** Most aliases that may refer to a list or mapping in one file. */
  public static final int MAX_ALIASES = 50;
  /** Deepest nesting of lists and mappings. */
  public static final int MAX_DEPTH = 20;

  /** The top-level fields a job file may have, in the order the documentation lists them. */
  static final List<String> FIELDS = JobReader.FIELDS;

  private final Map<String, String> environment;

  /**
   * @param environment the runner's environment, source of {@code ${VAR}} values in {@code env}
   */
  public JobLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Prepares the job validator now, if no call has yet: builds it and validates a sample job,
   * which is most of the cost of the first {@link #load} or {@link #parse} in a process (a quarter
   * of a second of CPU). Callers that have other work to do first run this on another thread; a
   * load that comes while it runs waits for it. Thread-safe; without this call the first load
   * prepares the validator itself.
   */
  public static void prepareValidator() {
    JobReader.prepareValidator();
  }

  /**
   * Loads and validates a job file.
   *
   * @param file read as given; errors name it exactly as given
   * @throws JobFileException with every error, when the file cannot be read or is not a valid job
   */
  public Job load(Path file) throws JobFileException {
    String name = file.toString();
    byte[] content;
    try {
      if (Files.isRegularFile(file) && Files.size(file) > MAX_BYTES) {
        throw new JobFileException(List.of(tooLarge(name, Files.size(file))));
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw single(name, "no such file");
    } catch (AccessDeniedException e) {
      throw single(name, "permission denied");
    } catch (IOException | RuntimeException e) {
      throw single(name, "cannot read file: " + describe(e));
    }
    return parse(name, content);
  }

  /**
   * Parses and validates the content of a job file.
   *
   * @param fileName the name errors are reported under
   * @param content  the raw bytes, which must be UTF-8
   * @throws JobFileException with every error, when the content is not a valid job
   */
  public Job parse(String fileName, byte[] content) throws JobFileException {
    try {
      if (content.length > MAX_BYTES) throw new JobFileException(List.of(tooLarge(fileName, content.length)));
      String text = decode(fileName, content);
      Node root = compose(fileName, text);
      return new JobReader(fileName, environment).read(root);
    } catch (JobFileException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      // The boundary promise: whatever a library does with a hostile file, the caller gets a JobFileException.
      throw single(fileName, "cannot read job file: " + describe(e));
    }
  }

  private static JobError tooLarge(String fileName, long size) {
    return new JobError(fileName, 1, 1,
        "file is too large (" + size + " bytes; a job file may have at most " + MAX_BYTES + ")");
  }

  private static String decode(String fileName, byte[] content) throws JobFileException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    CharBuffer out = CharBuffer.allocate(content.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      String before = new String(content, 0, offset, StandardCharsets.UTF_8);
      int[] lineColumn = lineColumn(before, before.codePointCount(0, before.length()));
      throw new JobFileException(List.of(new JobError(fileName, lineColumn[0], lineColumn[1], String.format(
          "file is not valid UTF-8 (byte 0x%02X at offset %d)", content[offset] & 0xff, offset))));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static Node compose(String fileName, String text) throws JobFileException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setAllowRecursiveKeys(false);
    options.setCodePointLimit(MAX_BYTES);
    options.setProcessComments(false);
    // Nothing is ever constructed from these nodes, so any tag is harmless here; JobReader reports
    // every non-plain tag with the file's other errors instead of stopping at the first.
    options.setTagInspector(tag -> true);
    // What Yaml.compose does, keeping the reader so a scanner failure without a mark still has a position.
    StreamReader reader = new StreamReader(new StringReader(text));
    try {
      return new Composer(new ParserImpl(reader, options), new Resolver(), options).getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw new JobFileException(List.of(at(fileName, mark, syntaxMessage(e))));
    } catch (ReaderException e) {
      int[] lineColumn = lineColumn(text, e.getPosition());
      throw new JobFileException(List.of(new JobError(fileName, lineColumn[0], lineColumn[1],
          String.format("invalid YAML: character U+%04X is not allowed in a YAML file", e.getCodePoint()))));
    } catch (YAMLException e) {
      throw single(fileName, "invalid YAML: " + limitMessage(e));
    } catch (IllegalArgumentException e) {
      // SnakeYAML's scanner lets NumberFormatException out for escapes such as \UFFFFFFFF; the reader stops just past it.
      throw new JobFileException(List.of(at(fileName, reader.getMark(), "invalid YAML: " + describe(e))));
    }
  }

  private static String syntaxMessage(MarkedYAMLException e) {
    String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
    if (problem.contains("(TAB)") || problem.contains("\t")) {
      return "invalid YAML: tab character where YAML expects spaces (indent with spaces only)";
    }
    if ("expected a single document in the stream".equals(e.getContext())) {
      return "invalid YAML: a job file holds one document, but a second one starts here";
    }
    StringBuilder message = new StringBuilder("invalid YAML: ").append(problem);
    if (e.getContext() != null && e.getContextMark() != null) {
      message.append(" (").append(e.getContext()).append(" at line ").append(e.getContextMark().getLine() + 1)
          .append(')');
    }
    return message.toString().replace('\n', ' ');
  }

  private static String limitMessage(YAMLException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases")) {
      return "too many aliases (a job file may use at most " + MAX_ALIASES + " aliases to lists or mappings)";
    }
    if (message.contains("Nesting Depth")) {
      return "lists and mappings are nested too deeply (at most " + MAX_DEPTH + " levels)";
    }
    return message.replace('\n', ' ');
  }

  static JobError at(String fileName, Mark mark, String message) {
    if (mark == null) return new JobError(fileName, 1, 1, message);
    return new JobError(fileName, mark.getLine() + 1, mark.getColumn() + 1, message);
  }

  /**
   * Line and column of the code point at {@code codePoints}, counted as SnakeYAML counts for its
   * marks: CR, LF, CRLF, NEL, LS and PS each end a line, and columns are code points.
   */
  private static int[] lineColumn(String text, int codePoints) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int n = 0; n < codePoints && i < text.length(); n++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      boolean lineEnd = c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029
          || (c == '\r' && (i >= text.length() || text.charAt(i) != '\n'));
      if (lineEnd) {
        line++;
        column = 1;
      } else if (c != 0xFEFF) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  private static JobFileException single(String fileName, String message) {
    return new JobFileException(List.of(new JobError(fileName, 1, 1, message)));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.replace('\n', ' ');
  }
}
