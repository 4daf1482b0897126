package io.mesosrunner.cluster.mesos.testmaster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The traffic recorded from a real Mesos 1.12 master, read from the test class path
 * ({@code src/test/resources/mesos-recordings/}: {@code README.md} and the {@code *.jsonl} files the
 * tests use), so a fresh clone needs nothing beside the project.
 */
public final class MesosRecordings {
    /** Class-path folder of the recordings. */
    public static final String RESOURCE_DIRECTORY = "/mesos-recordings/";

    private static final ObjectMapper JSON = new ObjectMapper();

    private MesosRecordings() {
    }

    /** The recordings' README (wire facts and scenarios), as text. */
    public static String readme() {
        try (InputStream in = open("README.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_DIRECTORY + "README.md", e);
        }
    }

    /** The lines of one recording, e.g. {@code errors.jsonl}. */
    public static List<JsonNode> lines(String file) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            List<JsonNode> out = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording " + RESOURCE_DIRECTORY + file, e);
        }
    }

    private static InputStream open(String file) {
        InputStream in = MesosRecordings.class.getResourceAsStream(RESOURCE_DIRECTORY + file);
        if (in == null) {
            throw new IllegalStateException("no recording " + RESOURCE_DIRECTORY + file + " on the class path;"
                    + " the recordings live in src/test/resources" + RESOURCE_DIRECTORY);
        }
        return in;
    }
}
