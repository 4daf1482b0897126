package io.mesosrunner.cluster.mesos.testmaster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * A fake agent's files endpoints, as recorded in {@code files-download.jsonl} and {@code happy.jsonl}:
 * {@code /files/read} (the file's bytes in a JSON string, bytes below 0x20 escaped and every other
 * byte raw, so the body need not be UTF-8), {@code /files/browse} and {@code /files/download}
 * (the bytes, a content type by extension, {@code Content-Disposition: attachment}). The habits
 * table's rows "agent files" (see {@code package-info.java}).
 */
final class AgentFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "text/plain; charset=utf-8";
    /** A part of libprocess's MIME table (Python's mimetypes); other extensions are octet-stream. */
    private static final Map<String, String> MIME = Map.ofEntries(Map.entry("html", "text/html"),
            Map.entry("htm", "text/html"), Map.entry("txt", "text/plain"), Map.entry("css", "text/css"),
            Map.entry("csv", "text/csv"), Map.entry("xml", "text/xml"), Map.entry("js", "application/javascript"),
            Map.entry("json", "application/json"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("tar", "application/x-tar"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("svg", "image/svg+xml"), Map.entry("sh", "application/x-sh"));

    /** A file in a listing. */
    record Entry(String path, long size, long mtimeSeconds) {
    }

    private final FakeAgent agent;

    AgentFiles(FakeAgent agent) {
        this.agent = agent;
    }

    void read(HttpExchange ex) throws IOException {
        agent.countFileRead();
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI());
            String path = q.get("path");
            if (path == null) {
                text(ex, 400, "Expecting 'path=value' in query.\n");
                return;
            }
            byte[] content = agent.content(path);
            if (content == null) {
                empty(ex, 404);
                return;
            }
            long offset = q.containsKey("offset") ? Long.parseLong(q.get("offset")) : -1;
            if (offset < 0) {
                send(ex, 200, "application/json", ("{\"data\":\"\",\"offset\":" + content.length + "}")
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            long length = q.containsKey("length") ? Long.parseLong(q.get("length")) : 16L * 4096;
            int from = (int) Math.min(offset, content.length);
            int to = (int) Math.min((long) content.length, from + Math.max(0, length));
            ByteArrayOutputStream body = new ByteArrayOutputStream(to - from + 32);
            body.writeBytes("{\"data\":\"".getBytes(StandardCharsets.US_ASCII));
            jsonBytes(content, from, to, body);
            body.writeBytes(("\",\"offset\":" + offset + "}").getBytes(StandardCharsets.US_ASCII));
            send(ex, 200, "application/json", body.toByteArray());
        } catch (NumberFormatException e) {
            text(ex, 400, "Failed to parse offset or length: " + e.getMessage());
        }
    }

    /**
     * The bytes as the agent's JSON writer puts them into a string: {@code "} and {@code \}
     * escaped, bytes below 0x20 as {@code \b \t \n \f \r} or {@code \}{@code u00XX} (upper-case hex),
     * every other byte (0x7f and all from 0x80) raw.
     */
    static void jsonBytes(byte[] b, int from, int to, ByteArrayOutputStream out) {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            String escape = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\b' -> "\\b";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\f' -> "\\f";
                case '\r' -> "\\r";
                default -> c < 0x20 ? String.format("\\u%04X", c) : null;
            };
            if (escape == null) {
                out.write(c);
            } else {
                out.writeBytes(escape.getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    void browse(HttpExchange ex) throws IOException {
        try (ex) {
            String path = query(ex.getRequestURI()).get("path");
            if (path == null) {
                text(ex, 400, "Expecting 'path=value' in query.\n");
                return;
            }
            List<Entry> entries = agent.list(path);
            if (entries.isEmpty()) {
                empty(ex, 404);
                return;
            }
            ArrayNode list = JSON.createArrayNode();
            for (Entry entry : entries) {
                ObjectNode e = list.addObject();
                e.put("gid", "root");
                e.put("mode", "-rw-r--r--");
                e.put("mtime", (double) entry.mtimeSeconds());
                e.put("nlink", 1);
                e.put("path", entry.path());
                e.put("size", entry.size());
                e.put("uid", "root");
            }
            send(ex, 200, "application/json", list.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    void download(HttpExchange ex) throws IOException {
        try (ex) {
            String path = query(ex.getRequestURI()).get("path");
            if (path == null) {
                text(ex, 400, "Expecting 'path=value' in query.\n");
                return;
            }
            byte[] content = agent.content(path);
            if (content == null) {
                if (agent.isDirectory(path)) {
                    text(ex, 400, "Cannot download a directory.\n");
                } else {
                    text(ex, 404, "404 Not Found.");
                }
                return;
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=" + name);
            send(ex, 200, contentType(name), content);
        }
    }

    /** The content type libprocess gives a file of this name, by its extension. */
    static String contentType(String fileName) {
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return MIME.getOrDefault(ext, "application/octet-stream");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, TEXT, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A 404 with an empty body ({@code Content-Length: 0}), as browse and read answer. */
    private static void empty(HttpExchange ex, int status) throws IOException {
        ex.getResponseHeaders().set("Content-Type", TEXT);
        ex.sendResponseHeaders(status, -1);
    }
}
