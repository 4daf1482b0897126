package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bugs the validate fuzz test (io.mesosrunner.job.fuzz.ValidateFuzzIT) found, one test each. */
class JobLoaderRegressionTest {

  private static List<String> errors(byte[] content) {
    return JobErrors.of(content);
  }

  private static List<String> errors(String yaml) {
    return JobErrors.of(yaml);
  }

  @Test
  void placesAForbiddenCharacterOnItsLineWhenLinesEndWithCarriageReturns() {
    assertThat(errors("version: 1\rname: a\u0001\r")).containsExactly(
        "x.yaml:2:8: invalid YAML: character U+0001 is not allowed in a YAML file");
  }

  @Test
  void countsColumnsInCodePointsForAForbiddenCharacterAfterAnEmoji() {
    assertThat(errors("name: \uD83D\uDE00\u0001\n")).containsExactly(
        "x.yaml:1:8: invalid YAML: character U+0001 is not allowed in a YAML file");
  }

  @Test
  void placesBadUtf8OnItsLineWhenLinesEndWithCarriageReturns() {
    byte[] content = {'a', ':', ' ', 'b', '\r', 'c', ':', ' ', (byte) 0xff, '\r'};
    assertThat(errors(content)).containsExactly("x.yaml:2:4: file is not valid UTF-8 (byte 0xFF at offset 8)");
  }

  @Test
  void refusesNumbersThatOverflowToInfinity() {
    assertThat(errors("name: t\ncommand: x\ncpus: 1.0e+400\nmem: 1" + "0".repeat(400) + "\n")).containsExactly(
        "x.yaml:3:7: cpus must be a finite number (got 1.0e+400)",
        "x.yaml:4:6: mem must be a finite number (got 1" + "0".repeat(56) + "...)");
  }

  @Test
  void keepsEachErrorOnOneLineWhenTheEchoedValueHoldsLineBreaksOrControlCharacters() {
    assertThat(errors("name: \"a\\rb\\u2028c\\e[2J\"\ncommand: x\ncpus: 1\nmem: 1\n")).containsExactly(
        "x.yaml:1:7: name must contain only letters, digits, '.', '_' and '-' (got 'a\\rb\\u2028c\\u001B[2J')");
  }

  @Test
  void placesAnEscapeSnakeYamlCannotDecodeInsteadOfAnUnpositionedFailure() {
    List<String> errors = errors("name: t\ncommand: \"echo \\UFFFFFFFF\"\ncpus: 1\nmem: 1\n");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("x.yaml:2:").contains("invalid YAML: ").doesNotContain("cannot read job file");
  }
}
