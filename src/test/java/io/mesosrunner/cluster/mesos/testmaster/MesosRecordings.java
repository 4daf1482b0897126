package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds the traffic recorded from a real Mesos master ({@code shared/mesos/*.jsonl}) by walking up
 * from the working directory, and reads its lines.
 */
public final class MesosRecordings {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MesosRecordings() {
    }

    /** The directory holding {@code README.md} and the {@code *.jsonl} recordings. */
    public static Path directory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("mesos");
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/mesos/README.md found in " + start
                + " or any parent directory; the Mesos recordings are expected at ../shared/mesos/ of the project");
    }

    /** The lines of one recording, e.g. {@code errors.jsonl}. */
    public static List<JsonNode> lines(String file) {
        Path path = directory().resolve(file);
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(path)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + path, e);
        }
    }
}
