package io.mesosrunner.cluster.mesos;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An agent's {@code /files/read} endpoint: the request for one page of a task's sandbox file, and
 * its answer decoded as bytes. The bytes of the file are passed on as the task wrote them: the
 * agent puts them into the JSON answer's {@code data} unchanged (only control characters
 * escaped), so the answer is decoded here byte by byte, not as UTF-8 text (see {@link
 * #dataBytes}).
 *
 * <p>Stateless; {@link #ask} may be called from any thread.
 */
final class FilesRead {

  /** How many bytes one request asks for. */
  static final int PAGE = 64 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** What asking for one page came to: the file's bytes from the offset asked, or why there are none. */
  record Page(byte[] data, String failure) {

    static Page failed(String why) {
      return new Page(null, why);
    }

    boolean ok() {
      return data != null;
    }
  }

  private final HttpClient http;
  private final String authorization;

  /** {@code authorization} is the HTTP Basic header value, or null. */
  FilesRead(HttpClient http, String authorization) {
    this.http = http;
    this.authorization = authorization;
  }

  /**
   * Asks for {@link #PAGE} bytes of {@code fileName} from {@code offset}. The future is the HTTP
   * client's own: cancelling it abandons the request. Its completion runs on the client's
   * thread, so what is attached to it must only hand the answer on.
   */
  CompletableFuture<HttpResponse<byte[]>> ask(URI agentBase, String frameworkId, String taskId, String fileName,
      long offset) {
    URI uri = readUri(agentBase, frameworkId, taskId, fileName, offset, PAGE);
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET();
    if (authorization != null) {
      req.header("Authorization", authorization);
    }
    return http.sendAsync(req.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** What an answer to {@link #ask} (or its failure) means: the page's bytes, or why there are none. */
  static Page page(HttpResponse<byte[]> response, Throwable failure) {
    if (failure != null) {
      return Page.failed(failure.toString());
    }
    if (response.statusCode() == 404) {
      return Page.failed("not there yet (404)");
    }
    if (response.statusCode() != 200) {
      return Page.failed("agent answered " + response.statusCode());
    }
    try {
      return new Page(dataBytes(response.body()), null);
    } catch (IllegalArgumentException e) {
      return Page.failed("bad JSON: " + e.getMessage());
    }
  }

  /**
   * The {@code /files/read} request for a task's sandbox file, by the virtual path of the latest
   * run of its executor (the command executor's id is the task id), which needs no agent lookup.
   */
  static URI readUri(URI agentBase, String frameworkId, String taskId, String fileName, long offset, int length) {
    String path = "/frameworks/" + frameworkId + "/executors/" + taskId + "/runs/latest/" + fileName;
    return URI.create(agentBase + "/files/read?path=" + URLEncoder.encode(path, StandardCharsets.UTF_8)
        + "&offset=" + offset + "&length=" + length);
  }

  /**
   * The bytes of the {@code data} member of a {@code /files/read} answer. Mesos writes the file's
   * bytes into the JSON string as they are, escaping only {@code "}, {@code \}, {@code /} and
   * control characters, so the bytes need not be UTF-8; a {@code \}{@code uXXXX} escape above 0x7F
   * (which other writers use) becomes that character's UTF-8 bytes.
   *
   * @throws IllegalArgumentException when the answer is not a JSON object with a string {@code data}
   */
  static byte[] dataBytes(byte[] body) {
    JsonBytes in = new JsonBytes(body);
    in.skipSpace();
    in.expect('{');
    in.skipSpace();
    if (in.peek() == '}') {
      throw new IllegalArgumentException("no data member");
    }
    while (true) {
      in.skipSpace();
      String key = new String(in.string(), StandardCharsets.UTF_8);
      in.skipSpace();
      in.expect(':');
      in.skipSpace();
      if (key.equals("data")) {
        if (in.peek() != '"') {
          throw new IllegalArgumentException("data is not a string");
        }
        return in.string();
      }
      in.skipValue();
      in.skipSpace();
      if (in.peek() == ',') {
        in.pos++;
        continue;
      }
      throw new IllegalArgumentException("no data member");
    }
  }

  /** A cursor over JSON text as bytes, for {@link #dataBytes}. */
  private static final class JsonBytes {
    final byte[] b;
    int pos;

    JsonBytes(byte[] b) {
      this.b = b;
    }

    int peek() {
      if (pos >= b.length) {
        throw new IllegalArgumentException("unexpected end at " + pos);
      }
      return b[pos] & 0xff;
    }

    void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected '" + c + "' at " + pos);
      }
      pos++;
    }

    void skipSpace() {
      while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
        pos++;
      }
    }

    /** Skips a number, literal or string (the other members of the answer are numbers). */
    void skipValue() {
      if (peek() == '"') {
        string();
        return;
      }
      int start = pos;
      while (pos < b.length && b[pos] != ',' && b[pos] != '}' && b[pos] != ' ') {
        pos++;
      }
      if (pos == start) {
        throw new IllegalArgumentException("expected a value at " + pos);
      }
    }

    /** The bytes of the JSON string at the cursor, escapes resolved. */
    byte[] string() {
      expect('"');
      ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
      int runStart = pos;
      while (true) {
        int c = peek();
        if (c == '"') {
          out.write(b, runStart, pos - runStart);
          pos++;
          return out.toByteArray();
        }
        if (c != '\\') {
          pos++;
          continue;
        }
        out.write(b, runStart, pos - runStart);
        pos++;
        int e = peek();
        pos++;
        switch (e) {
          case '"', '\\', '/' -> out.write(e);
          case 'b' -> out.write('\b');
          case 'f' -> out.write('\f');
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case 'u' -> unicode(out);
          default -> throw new IllegalArgumentException("bad escape at " + (pos - 1));
        }
        runStart = pos;
      }
    }

    /** A {@code \}{@code uXXXX} escape (its hex digits at the cursor), as UTF-8 bytes. */
    private void unicode(ByteArrayOutputStream out) {
      int cp = hex4();
      if (cp < 0x80) {
        out.write(cp);
        return;
      }
      if (Character.isHighSurrogate((char) cp) && pos + 1 < b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
        pos += 2;
        cp = Character.toCodePoint((char) cp, (char) hex4());
      }
      out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
    }

    private int hex4() {
      if (pos + 4 > b.length) {
        throw new IllegalArgumentException("unexpected end at " + pos);
      }
      int v = Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16);
      pos += 4;
      return v;
    }
  }
}
