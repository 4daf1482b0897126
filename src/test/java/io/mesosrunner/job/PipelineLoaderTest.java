package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineLoaderTest {

  private final JobLoader loader = new JobLoader(Map.of());

  private Pipeline load(String yaml) throws JobFileException {
    return loader.parsePipeline("p.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private List<String> errors(String yaml) {
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> load(yaml));
    assertThat(e).as("expected errors").isNotNull();
    return e.errors().stream().map(JobError::toString).toList();
  }

  @Test
  void stepsTakeTheTopLevelFieldsAsDefaultsAndComeInDependencyOrder() throws Exception {
    Pipeline p = load("""
        name: nightly
        cpus: 0.5
        mem: 256MiB
        retries: 2
        steps:
          report:
            needs: [transform]
            command: ./report.sh
          transform:
            needs: [extract]
            command: ./transform.sh
            cpus: 1
          extract:
            command: ./extract.sh
            instances: 4
        """);
    assertThat(p.single()).isFalse();
    assertThat(p.steps()).extracting(Step::name).containsExactly("extract", "transform", "report");
    assertThat(p.steps()).extracting(Step::first).containsExactly(0, 4, 5);
    assertThat(p.instances()).isEqualTo(6);
    Step transform = p.step("transform");
    assertThat(transform.job().cpus()).isEqualTo(1.0);
    assertThat(transform.job().memMb()).isEqualTo(256.0);
    assertThat(transform.job().retries()).isEqualTo(2);
    assertThat(transform.job().name()).isEqualTo("nightly");
    assertThat(p.summary().name()).isEqualTo("nightly");
    assertThat(p.summary().instances()).isEqualTo(6);
    assertThat(p.stepOf(4).name()).isEqualTo("transform");
    assertThat(p.tag(5)).isEqualTo("nightly/report/0");
  }

  @Test
  void aMatrixExpandsFirstVariableSlowestAndSetsTheInstances() throws Exception {
    Pipeline p = load("""
        name: m
        cpus: 1
        mem: 32
        steps:
          t:
            command: echo
            matrix:
              REGION: [eu, us]
              SHARD: [0, 1, 2]
        """);
    Step t = p.step("t");
    assertThat(t.size()).isEqualTo(6);
    assertThat(t.matrix()).containsExactly(
        Map.of("REGION", "eu", "SHARD", "0"), Map.of("REGION", "eu", "SHARD", "1"), Map.of("REGION", "eu", "SHARD", "2"),
        Map.of("REGION", "us", "SHARD", "0"), Map.of("REGION", "us", "SHARD", "1"), Map.of("REGION", "us", "SHARD", "2"));
  }

  @Test
  void needsErrorsNameThePositionWithASuggestionAndCyclesNameTheirSteps() {
    assertThat(errors("""
        name: p
        command: echo
        cpus: 1
        mem: 32
        steps:
          extract: {}
          transform:
            needs: [extrct]
          a:
            needs: [b]
          b:
            needs: [a]
          self:
            needs: [self]
        """)).containsExactly(
        "p.yaml:8:13: step 'transform' needs 'extrct', which is not a step (did you mean 'extract'?)",
        "p.yaml:12:13: needs form a cycle: a -> b -> a (each step needs the one after it)",
        "p.yaml:14:13: step 'self' needs itself");
  }

  @Test
  void matrixAndOutputMistakesAreReportedAllAtOnce() {
    assertThat(errors("""
        name: p
        command: echo
        cpus: 1
        mem: 32
        steps:
          s:
            instances: 3
            matrix:
              RUNNER_X: [1]
              9bad: [1]
              EMPTY: []
              DUP: [a, a]
            outputs: [../escape.txt, /etc/passwd, ok.txt]
        """)).containsExactly(
        "p.yaml:7:5: step 's' has a matrix, which sets its instances (one per combination): remove instances",
        "p.yaml:9:7: matrix variable 'RUNNER_X' must not start with RUNNER_, which is reserved for the runner",
        "p.yaml:10:7: matrix variable '9bad' must be an environment variable name: letters, digits and '_', not starting with a digit",
        "p.yaml:11:14: matrix variable 'EMPTY' has no values (give at least one)",
        "p.yaml:12:16: duplicate value 'a' of matrix variable 'DUP' (first at line 12)",
        "p.yaml:13:15: output '../escape.txt' must stay in the sandbox (no '..')",
        "p.yaml:13:30: output '/etc/passwd' must be relative to the sandbox, not an absolute path");
  }

  @Test
  void aMatrixOverTheLimitIsRefused() {
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < 40; i++) values.append(i == 0 ? "" : ", ").append(i);
    assertThat(errors("name: p\ncommand: echo\ncpus: 1\nmem: 32\nsteps:\n  s:\n    matrix:\n      A: [" + values
        + "]\n      B: [" + values + "]\n")).containsExactly(
        "p.yaml:8:7: matrix of step 's' expands to 1600 instances; at most 1000");
  }

  @Test
  void jobFieldErrorsInAStepOrADefaultAreReportedOnceAtTheirLine() {
    assertThat(errors("""
        name: p
        mem: -5
        steps:
          a:
            command: echo
            cpus: 1
          b:
            cpu: 1
            neds: [a]
        """)).containsExactly(
        "p.yaml:2:6: mem must be greater than 0 (got -5)",
        "p.yaml:8:5: unknown field 'cpu' (did you mean 'cpus'?)",
        "p.yaml:8:5: missing required field 'command' in step 'b'",
        "p.yaml:9:5: unknown field 'neds' in step 'b' (did you mean 'needs'?)");
  }

  @Test
  void aSingleJobFileIsAPipelineOfOneUnchangedStep() throws Exception {
    Pipeline p = load("name: hello\ncommand: echo hi\ncpus: 0.1\nmem: 32\ninstances: 3\n");
    assertThat(p.single()).isTrue();
    assertThat(p.steps()).singleElement().satisfies(s -> assertThat(s.name()).isEqualTo("hello"));
    assertThat(p.tag(2)).isEqualTo("hello/2");
  }
}
