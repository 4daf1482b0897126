package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What an editor with the job schema in yaml-language-server shows, against the loader's verdict. */
class EditorDiagnosticsTest {

  private static YamlLanguageServer server;
  private static int documents;

  @BeforeAll
  static void startServer() throws Exception {
    server = YamlLanguageServer.start(Path.of("schemas", "job.schema.json"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) server.close();
  }

  private static String uri() {
    return "file:///editor-test/job" + (++documents) + ".yaml";
  }

  /** The 1-based lines the loader reports, or none when it accepts the file. */
  private static Set<Integer> loaderLines(String yaml) {
    JobFileException failure = catchThrowableOfType(JobFileException.class,
        () -> new JobLoader(Map.of()).parse("job.yaml", yaml.getBytes(StandardCharsets.UTF_8)));
    Set<Integer> lines = new TreeSet<>();
    if (failure != null) failure.errors().forEach(e -> lines.add(e.line()));
    return lines;
  }

  /** The 1-based lines of the editor's diagnostics, after checking every message is text. */
  private static Set<Integer> editorLines(String yaml) throws Exception {
    JsonNode diagnostics = server.open(uri(), yaml);
    Set<Integer> lines = new TreeSet<>();
    for (JsonNode d : diagnostics) {
      assertThat(d.get("message").isTextual()).as("message of %s", d).isTrue();
      String message = d.get("message").asText();
      assertThat(message).as("message of %s", d).doesNotStartWith("{").doesNotContain("\"not\"").isNotBlank();
      lines.add(d.at("/range/start/line").asInt() + 1);
    }
    return lines;
  }

  @Test
  void aMissingFieldAndAMisspeltOneShowAsWordsOnTheLoadersLines() throws Exception {
    String yaml = "name: t\ncommand: x\ncpu: 2\nmem: 64\n";
    Set<Integer> editor = editorLines(yaml);
    assertThat(editor).isNotEmpty();
    assertThat(editor).containsAll(loaderLines(yaml));
  }

  @Test
  void bothExitListsAreRefusedInWordsOnTheLaterOnesLine() throws Exception {
    String yaml = "name: t\ncommand: x\ncpus: 1\nmem: 1\nretry_on_exit: [1]\nno_retry_exit: [2]\n";
    JsonNode diagnostics = server.open(uri(), yaml);
    assertThat(diagnostics).hasSize(1);
    assertThat(diagnostics.get(0).get("message").asText()).contains("retry_on_exit and no_retry_exit cannot both be set");
    assertThat(Set.of(diagnostics.get(0).at("/range/start/line").asInt() + 1)).isEqualTo(loaderLines(yaml));
  }

  @Test
  void nullOptionalFieldsAreUnsetForTheEditorAsForTheLoader() throws Exception {
    assertThat(editorLines("name: t\ncommand: x\ncpus: 1\nmem: 1\nbad: 1\n")).as("the schema is in force").containsExactly(5);
    String yaml = "name: t\ncommand: x\ncpus: 1\nmem: 1\nenv:\nretries: ~\ntimeout:\ncontainer: ~\nlabels:\n"
        + "retry_on_exit: [1]\nno_retry_exit: ~\n";
    assertThat(loaderLines(yaml)).isEmpty();
    assertThat(editorLines(yaml)).isEmpty();
    String pipeline = "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps:\n  a:\n    env:\n    retries: ~\n  b:\n    labels: ~\n";
    assertThat(loaderLines(pipeline)).isEmpty();
    assertThat(editorLines(pipeline)).isEmpty();
    // A step's own fields (needs, matrix, outputs) have no default to fall back to: both refuse null.
    String nullNeeds = "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps:\n  a:\n    needs:\n  b:\n    outputs: ~\n";
    assertThat(loaderLines(nullNeeds)).containsExactly(7, 9);
    assertThat(editorLines(nullNeeds)).containsExactly(7, 9);
  }

  @Test
  void badFilesAreRefusedByBothOnTheSameLines() throws Exception {
    for (String yaml : new String[] {
        "name: t\ncommand: x\ncpus: 0\nmem: 1\n",
        "name: t\ncommand: x\ncpus: 1\nmem: 512MB\n",
        "name: t\ncommand: x\ncpus: 1\nmem: 1\non_failure: ignore\n",
        "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps:\n  a:\n    cpus: 0\n"}) {
      Set<Integer> loader = loaderLines(yaml);
      assertThat(loader).as("loader on %s", yaml).isNotEmpty();
      assertThat(editorLines(yaml)).as("editor on %s", yaml).isEqualTo(loader);
    }
  }

  @Test
  void completionInsideContainerOffersImage() throws Exception {
    String uri = uri();
    server.open(uri, "name: t\ncommand: x\ncpus: 1\nmem: 1\ncontainer:\n  \n");
    assertThat(server.completionLabels(uri, 5, 2)).contains("image");
  }
}
