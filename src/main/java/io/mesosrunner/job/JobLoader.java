package io.mesosrunner.job;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.Schema;

/**
 * Reads job files (version 1) into validated {@link Job}s, and pipeline files (a {@code steps}
 * mapping) into {@link Pipeline}s.
 *
 * <p>The file is parsed safely: only to YAML nodes (no object construction, so no tag can
 * instantiate a Java type), at most {@value #MAX_BYTES} bytes, at most {@value #MAX_ALIASES}
 * aliases to collections and at most {@value #MAX_DEPTH} levels of nesting. Every problem a file
 * has is reported at once, each with the line and column of the YAML node it came from, sorted by
 * position: syntax, unknown or duplicate fields (with a did-you-mean suggestion), wrong types,
 * out-of-range values (Jakarta Bean Validation constraints on {@link Job}, checked by Hibernate
 * Validator) and unset {@code ${VAR}} references in {@code env}.
 *
 * <p>It parses bytes; reading files is the caller's part. {@link #parse} throws nothing but {@link JobFileException}. Instances are
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
   * which is most of the cost of the first {@link #parse} in a process (a quarter
   * of a second of CPU). Callers that have other work to do first run this on another thread; a
   * load that comes while it runs waits for it. Thread-safe; without this call the first load
   * prepares the validator itself.
   */
  public static void prepareValidator() {
    JobReader.prepareValidator();
  }

  /**
   * Parses and validates the content of a job file.
   *
   * @param fileName the name errors are reported under
   * @param content  the raw bytes, which must be UTF-8
   * @throws JobFileException with every error, when the content is not a valid job
   */
  public Job parse(String fileName, byte[] content) throws JobFileException {
    return parsePipeline(fileName, content).summary();
  }

  /**
   * Parses and validates a job file that may hold a pipeline ({@code steps}); a single-job file
   * comes back as a pipeline of one step ({@link Pipeline#of}).
   *
   * @throws JobFileException with every error, when the content is not a valid job or pipeline
   */
  public Pipeline parsePipeline(String fileName, byte[] content) throws JobFileException {
    try {
      if (content.length > MAX_BYTES) throw new JobFileException(List.of(tooLarge(fileName, content.length)));
      String text = decode(fileName, content);
      Node root = compose(fileName, text);
      if (PipelineReader.isPipeline(root)) return new PipelineReader(fileName, environment).read((MappingNode) root);
      return Pipeline.of(new JobReader(fileName, environment).read(root));
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
    LoadSettings settings = LoadSettings.builder()
        .setLabel(fileName)
        .setSchema(JobFileSchema.INSTANCE)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setAllowRecursiveKeys(false)
        // JobReader reports a list or mapping used as a key with the file's other errors.
        .setAllowNonScalarKeys(true)
        .setCodePointLimit(MAX_BYTES)
        .setParseComments(false)
        .setUseMarks(true)
        // The whole file in one window: with the default 1 KiB window a long scalar is copied again for every refill.
        .setBufferSize(Math.max(1024, text.length() + 1))
        .build();
    // What Compose.composeString does, keeping the reader so a scanner failure without a mark still has a position.
    StreamReader reader = new StreamReader(settings, text);
    try {
      Optional<Node> node = new Composer(settings, new DepthLimit(new ParserImpl(settings, reader))).getSingleNode();
      if (node.isPresent()) checkCommentsAreSeparated(fileName, text, node.get());
      return node.orElse(null);
    } catch (TooDeep e) {
      throw new JobFileException(List.of(at(fileName, e.mark, "invalid YAML: lists and mappings are nested too deeply"
          + " (at most " + MAX_DEPTH + " levels)")));
    } catch (MarkedYamlEngineException e) {
      if (onlyDocumentEndMarkers(text)) return null;
      throw new JobFileException(List.of(syntaxError(fileName, e)));
    } catch (ReaderException e) {
      int[] lineColumn = lineColumn(text, e.getPosition());
      throw new JobFileException(List.of(new JobError(fileName, lineColumn[0], lineColumn[1],
          String.format("invalid YAML: character U+%04X is not allowed in a YAML file", e.getCodePoint()))));
    } catch (YamlEngineException e) {
      throw single(fileName, "invalid YAML: " + limitMessage(e));
    } catch (IllegalArgumentException e) {
      // The scanner lets NumberFormatException out for some escapes; the reader stops just past it.
      throw new JobFileException(List.of(at(fileName, reader.getMark().orElse(null), "invalid YAML: " + describe(e))));
    }
  }

  /**
   * YAML needs white space before the {@code #} of a comment; the scanner takes {@code "a"# x} as
   * {@code "a"} and a comment. The only places a {@code #} can directly follow a node are after a
   * quoted scalar and after a flow collection, so those are checked.
   */
  private static void checkCommentsAreSeparated(String fileName, String text, Node document)
      throws JobFileException {
    int[] codePoints = text.codePoints().toArray();
    java.util.Set<Node> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<Node> todo = new java.util.ArrayDeque<>(List.of(document));
    while (!todo.isEmpty()) {
      Node node = todo.pop();
      if (!seen.add(node)) continue;
      boolean closesItself = false;
      if (node instanceof ScalarNode scalar) {
        closesItself = scalar.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED
            || scalar.getScalarStyle() == ScalarStyle.SINGLE_QUOTED;
      } else if (node instanceof SequenceNode sequence) {
        closesItself = sequence.getFlowStyle() == FlowStyle.FLOW;
        todo.addAll(sequence.getValue());
      } else if (node instanceof MappingNode mapping) {
        closesItself = mapping.getFlowStyle() == FlowStyle.FLOW;
        for (NodeTuple tuple : mapping.getValue()) {
          todo.push(tuple.getKeyNode());
          todo.push(tuple.getValueNode());
        }
      }
      Mark end = node.getEndMark().orElse(null);
      if (closesItself && end != null && end.getIndex() < codePoints.length && codePoints[end.getIndex()] == '#') {
        throw new JobFileException(List.of(at(fileName, end,
            "invalid YAML: a comment needs a space before '#' (write ' # ...')")));
      }
    }
  }

  /** A stream of only {@code ...} markers and comments is empty; the parser reports it as an error. */
  private static boolean onlyDocumentEndMarkers(String text) {
    return text.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#")
        || line.equals("...") || line.startsWith("... #"));
  }

  /**
   * The YAML 1.2 core schema, except that a plain {@code ${VAR}} stays a string: the job format
   * substitutes variables itself (in {@code env} only), the YAML library must not. Nothing is
   * ever constructed from the nodes, so there are no tag constructors.
   */
  private static final class JobFileSchema implements Schema {
    static final JobFileSchema INSTANCE = new JobFileSchema();
    private final ScalarResolver core = new CoreScalarResolver(false);

    @Override
    public ScalarResolver getScalarResolver() {
      return (value, implicit) -> {
        Tag tag = core.resolve(value, implicit);
        return tag.equals(Tag.ENV_TAG) ? Tag.STR : tag;
      };
    }

    @Override
    public Map<Tag, org.snakeyaml.engine.v2.api.ConstructNode> getSchemaTagConstructors() {
      return Map.of();
    }
  }

  /** Stops composing at the first list or mapping nested deeper than {@link #MAX_DEPTH}, before the composer recurses. */
  private static final class DepthLimit implements Parser {
    private final Parser parser;
    private int depth;

    DepthLimit(Parser parser) {
      this.parser = parser;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
      return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
      return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
      return parser.hasNext();
    }

    @Override
    public Event next() {
      Event event = parser.next();
      switch (event.getEventId()) {
        case SequenceStart, MappingStart -> {
          if (++depth > MAX_DEPTH) throw new TooDeep(event.getStartMark().orElse(null));
        }
        case SequenceEnd, MappingEnd -> depth--;
        default -> { }
      }
      return event;
    }
  }

  private static final class TooDeep extends RuntimeException {
    final transient Mark mark;

    TooDeep(Mark mark) {
      super(null, null, false, false);
      this.mark = mark;
    }
  }

  private static JobError syntaxError(String fileName, MarkedYamlEngineException e) {
    Mark problemMark = e.getProblemMark().orElse(null);
    Mark contextMark = e.getContextMark().orElse(null);
    String problem = e.getProblem() == null ? "syntax error" : e.getProblem().strip();
    String context = e.getContext();
    if ("expected a single document in the stream".equals(context)) {
      return at(fileName, problemMark, "invalid YAML: a job file holds one document, but a second one starts here");
    }
    if (problem.contains("(TAB)")) {
      return at(fileName, problemMark, "invalid YAML: tab character where YAML expects spaces (indent with spaces only)");
    }
    if (context != null && context.startsWith("while scanning a simple key") && contextMark != null
        && problem.startsWith("could not find expected ':'")) {
      // The scanner notices a key without ':' only on a later line; the key is where the mistake is.
      return at(fileName, contextMark, "invalid YAML: '" + firstWord(contextMark) + "' is not followed by ':'"
          + " (a field is written 'name: value')");
    }
    StringBuilder message = new StringBuilder("invalid YAML: ").append(problem);
    if (context != null && contextMark != null) {
      message.append(" (").append(context.strip()).append(" at line ").append(contextMark.getLine() + 1).append(')');
    }
    return at(fileName, problemMark != null ? problemMark : contextMark, message.toString().replace('\n', ' '));
  }

  private static String firstWord(Mark mark) {
    int[] buffer = mark.getBuffer();
    StringBuilder word = new StringBuilder();
    for (int i = mark.getPointer(); i < buffer.length && word.length() < 40; i++) {
      int c = buffer[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') break;
      word.appendCodePoint(c);
    }
    return word.toString();
  }

  private static String limitMessage(YamlEngineException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases")) {
      return "too many aliases (a job file may use at most " + MAX_ALIASES + " aliases to lists or mappings)";
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
