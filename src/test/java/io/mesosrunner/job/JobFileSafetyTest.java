package io.mesosrunner.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JobFileSafetyTest {

  private final JobLoader loader = new JobLoader(Map.of());

  private static List<String> errors(byte[] content) {
    return JobErrors.of(content);
  }

  private static List<String> errors(String yaml) {
    return JobErrors.of(yaml);
  }

  @Test
  void refusesAnEmptyFile() {
    String expected = "x.yaml:1:1: file is empty (a job file is a mapping with at least name, command, cpus and mem)";
    assertThat(errors("")).containsExactly(expected);
    assertThat(errors("# only a comment\n\n")).containsExactly(expected);
  }

  @Test
  void refusesAFileThatIsNotAMapping() {
    assertThat(errors("- a\n- b\n")).containsExactly(
        "x.yaml:1:1: a job file must be a mapping of fields (got a list)");
    assertThat(errors("hello\n")).containsExactly(
        "x.yaml:1:1: a job file must be a mapping of fields (got 'hello')");
  }

  @Test
  void refusesBytesThatAreNotUtf8AtTheirPosition() {
    byte[] content = new byte[] {'n', ':', ' ', 'a', '\n', 'c', ':', ' ', (byte) 0xc3, (byte) 0xa9, (byte) 0xff, '\n'};
    assertThat(errors(content)).containsExactly("x.yaml:2:5: file is not valid UTF-8 (byte 0xFF at offset 10)");
  }

  @Test
  void ignoresAByteOrderMark() throws Exception {
    byte[] body = "name: t\ncommand: x\ncpus: 1\nmem: 1\n".getBytes(UTF_8);
    byte[] content = new byte[body.length + 3];
    content[0] = (byte) 0xef;
    content[1] = (byte) 0xbb;
    content[2] = (byte) 0xbf;
    System.arraycopy(body, 0, content, 3, body.length);
    assertThat(loader.parse("x.yaml", content).name()).isEqualTo("t");
  }

  @Test
  void refusesControlCharacters() {
    assertThat(errors("name: 'a\u0001'\n")).containsExactly(
        "x.yaml:1:9: invalid YAML: character U+0001 is not allowed in a YAML file");
  }

  @Test
  void refusesFilesOverOneMebibyteWithoutParsingThem() throws Exception {
    byte[] content = ("name: t\ncommand: x\ncpus: 1\nmem: 1\n#" + "x".repeat(JobLoader.MAX_BYTES)).getBytes(UTF_8);
    assertThat(errors(content)).containsExactly(
        "x.yaml:1:1: file is too large (" + content.length + " bytes; a job file may have at most 1048576)");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void refusesAnAliasBomb() {
    StringBuilder yaml = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
      yaml.append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) yaml.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      yaml.append("]\n");
    }
    assertThat(errors(yaml.toString())).containsExactly(
        "x.yaml:1:1: invalid YAML: too many aliases (a job file may use at most 50 aliases to lists or mappings)");
  }

  @Test
  void refusesDeepNesting() {
    assertThat(errors("env: " + "[".repeat(40) + "]".repeat(40) + "\n")).containsExactly(
        "x.yaml:1:25: invalid YAML: lists and mappings are nested too deeply (at most 20 levels)");
  }

  @Test
  void refusesTabsAtTheirLine() {
    assertThat(errors("name: t\n\tcommand: x\n")).containsExactly(
        "x.yaml:2:1: invalid YAML: tab character where YAML expects spaces (indent with spaces only)");
  }

  @Test
  void refusesSyntaxErrorsAtTheProblem() {
    assertThat(errors("name: t\ncommand: [a, b\ncpus: 1\n")).containsExactly(
        "x.yaml:3:5: invalid YAML: expected ',' or ']', but got : (while parsing a flow sequence at line 2)");
    assertThat(errors("name: t\n  cpus: 1\n")).containsExactly(
        "x.yaml:2:7: invalid YAML: mapping values are not allowed here");
    assertThat(errors("name: t\n---\nname: u\n")).containsExactly(
        "x.yaml:2:1: invalid YAML: a job file holds one document, but a second one starts here");
  }

  @Test
  void refusesJavaTypeTagsAlongWithTheOtherErrors() {
    assertThat(errors("""
        name: !!java.lang.ProcessBuilder [rm]
        command: !!javax.script.ScriptEngineManager x
        cpus: !custom 1
        mem: !!binary aGVsbG8=
        cpu: 1
        """)).containsExactly(
        "x.yaml:1:7: tag !!java.lang.ProcessBuilder is not allowed (a job file holds plain YAML values only)",
        "x.yaml:1:7: name must be a string (got a list)",
        "x.yaml:2:10: tag !!javax.script.ScriptEngineManager is not allowed (a job file holds plain YAML values only)",
        "x.yaml:3:7: tag !custom is not allowed (a job file holds plain YAML values only)",
        "x.yaml:3:7: cpus must be a number (got 1)",
        "x.yaml:4:6: tag !!binary is not allowed (a job file holds plain YAML values only)",
        "x.yaml:4:6: mem must be a number of MiB or a size such as 512MiB or 2GiB (got aGVsbG8=)",
        "x.yaml:5:1: unknown field 'cpu' (did you mean 'cpus'?)");
  }

  @Test
  void refusesMergeKeysAndComplexKeys() {
    assertThat(errors("base: &b {cpus: 1}\n<<: *b\n? [a]\n: 1\n")).contains(
        "x.yaml:1:1: unknown field 'base'",
        "x.yaml:2:1: merge keys (<<) are not supported in job files",
        "x.yaml:3:3: field names must be plain strings (got a list)");
  }

  @Test
  // A guard against a hang on a busy machine, not a speed bar.
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void survivesTwoThousandRandomMutationsOfAnExample() throws Exception {
    byte[] original = Files.readAllBytes(Path.of("jobs", "hello.yaml"));
    byte[] interesting = {':', '-', ' ', '\n', '\t', '[', ']', '{', '}', '&', '*', '!', '"', '\'', '#', '|', '>',
        '%', '@', '`', '$', '0', (byte) 0xff, (byte) 0xc3, 0, 1};
    Random random = new Random(20240601L);
    int loaded = 0;
    int refused = 0;
    for (int round = 0; round < 2000; round++) {
      byte[] mutated = mutate(original, random, interesting);
      try {
        loader.parse("fuzz.yaml", mutated);
        loaded++;
      } catch (JobFileException e) {
        refused++;
        assertThat(e.errors()).isNotEmpty().allSatisfy(error -> {
          assertThat(error.line()).isGreaterThanOrEqualTo(1);
          assertThat(error.column()).isGreaterThanOrEqualTo(1);
          assertThat(error.message()).isNotBlank().doesNotContain("\n").doesNotContain("Exception");
        });
      }
    }
    assertThat(loaded + refused).isEqualTo(2000);
    assertThat(refused).as("mutations should break most files").isGreaterThan(500);
  }

  private static byte[] mutate(byte[] original, Random random, byte[] interesting) {
    byte[] bytes = original.clone();
    int edits = 1 + random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(bytes.length);
      byte b = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
      switch (random.nextInt(3)) {
        case 0 -> bytes[at] = b;
        case 1 -> {
          byte[] longer = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, longer, 0, at);
          longer[at] = b;
          System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
          bytes = longer;
        }
        default -> {
          if (bytes.length > 1) {
            byte[] shorter = new byte[bytes.length - 1];
            System.arraycopy(bytes, 0, shorter, 0, at);
            System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
            bytes = shorter;
          }
        }
      }
    }
    return bytes;
  }
}
