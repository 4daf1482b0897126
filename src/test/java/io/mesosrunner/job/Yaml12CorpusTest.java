package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser cases of issue 11, one file each under src/test/resources/yaml12: YAML 1.2 that
 * editors accept must load, and what YAML forbids must be refused at the right place.
 */
class Yaml12CorpusTest {

  private final JobLoader loader = new JobLoader(Map.of());

  private static byte[] file(String name) throws IOException {
    try (InputStream in = Yaml12CorpusTest.class.getResourceAsStream("/yaml12/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private List<String> errors(String name) throws IOException {
    byte[] content = file(name);
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> loader.parse(name, content));
    assertThat(e).as("expected %s to be refused", name).isNotNull();
    return e.errors().stream().map(JobError::toString).toList();
  }

  @Test
  void aQuestionMarkInsideAPlainScalarInAFlowListIsText() throws Exception {
    Job job = loader.parse("q.yaml", file("valid-question-mark-in-flow.yaml"));
    assertThat(job.command().argv()).containsExactly("curl", "-s", "http://example.com/api?x=1");
    assertThat(job.uris()).containsExactly(FetchUri.of("https://example.com/a.tgz?raw=1"));
    assertThat(job.constraints()).containsExactly(new Constraint("rack", Constraint.Operator.LIKE, "r?"));
  }

  @Test
  void anEscapedTabInDoubleQuotesAndATabAfterTheColonAreValid() throws Exception {
    Job job = loader.parse("tabs.yaml", file("valid-escaped-tab-and-tab-separation.yaml"));
    assertThat(job.command().shell()).isEqualTo("echo a\tb");
    assertThat(job.cpus()).isEqualTo(0.1);
  }

  @Test
  void tabIndentationIsStillATabError() throws Exception {
    assertThat(errors("invalid-tab-indentation.yaml")).containsExactly(
        "invalid-tab-indentation.yaml:2:1: invalid YAML: tab character where YAML expects spaces (indent with spaces only)");
  }

  @Test
  void yaml12EscapesAreRead() throws Exception {
    assertThat(loader.parse("esc.yaml", file("valid-yaml12-escape.yaml")).command().shell()).isEqualTo("echo a/b");
  }

  @Test
  void aCommentNeedsASpaceBeforeTheHash() throws Exception {
    assertThat(errors("invalid-comment-without-space.yaml")).containsExactly(
        "invalid-comment-without-space.yaml:2:19: invalid YAML: a comment needs a space before '#' (write ' # ...')");
  }

  @Test
  void aMissingColonIsReportedAtTheKeyLine() throws Exception {
    assertThat(errors("invalid-missing-colon.yaml")).containsExactly(
        "invalid-missing-colon.yaml:2:1: invalid YAML: 'command' is not followed by ':' (a field is written 'name: value')");
  }

  @Test
  void aStreamOfOnlyADocumentEndIsAnEmptyFile() throws Exception {
    assertThat(errors("empty-document-end-only.yaml")).containsExactly(
        "empty-document-end-only.yaml:1:1: file is empty (a job file is a mapping with at least name, command, cpus and"
            + " mem)");
  }
}
