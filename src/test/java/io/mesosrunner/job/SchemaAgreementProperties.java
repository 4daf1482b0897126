package io.mesosrunner.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The JSON Schema (checked by a real validator, as an editor would) and the loader give the
 * same verdict on generated job files: valid ones, and each with one field changed to a value
 * from a list of near misses. The only disagreements allowed are the ones the README lists,
 * and each of those must really disagree, so the list stays true.
 */
class SchemaAgreementProperties {

  private static final JsonSchema SCHEMA =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JobSchema.text());
  private static final JobLoader LOADER = new JobLoader(Map.of("HOME", "/home/ci"));

  /** Values every field may take in a valid file (YAML text). */
  private static final Map<String, List<String>> VALID = new LinkedHashMap<>();
  /** Values near the edge: some valid, most not; the verdicts must agree either way. */
  private static final Map<String, List<String>> NEAR = new LinkedHashMap<>();
  /** Near misses that JSON Schema cannot judge, each with the README's reason. */
  private static final Map<String, String> DOCUMENTED = new LinkedHashMap<>();

  static {
    VALID.put("version", List.of("1", "1.0"));
    VALID.put("name", List.of("t", "etl.nightly_2", "2024", "'a-b'", "..."));
    VALID.put("command", List.of("echo hi", "[sh, -c, 'exit 0']", "'./run.sh --x'", "[curl, -s, http://e.com/api?x=1]",
        "\"echo a\\tb\\/c\""));
    VALID.put("cpus", List.of("0.5", "1", "2.0", "1e1"));
    VALID.put("mem", List.of("512MiB", "2GiB", "256", "' 1 GiB '", "1.5gib"));
    VALID.put("disk", List.of("0", "1GiB", "0MiB"));
    VALID.put("gpus", List.of("0", "1"));
    VALID.put("ports", List.of("0", "3"));
    VALID.put("instances", List.of("1", "8", "2.0"));
    VALID.put("parallelism", List.of("1", "4", "100"));
    VALID.put("retries", List.of("0", "3"));
    VALID.put("on_failure", List.of("stop", "continue"));
    VALID.put("retry_on_exit", List.of("[75]", "[1, 2]"));
    VALID.put("timeout", List.of("30s", "10m", "2h30m", "1.5s", "500ms", "' 30s'"));
    VALID.put("deadline", List.of("1d", "2h", "1h0m1s"));
    VALID.put("unreachable_grace", List.of("60s", "0s", "0h0m", "5m", "1.5s"));
    VALID.put("env", List.of("{A: x}", "{B: \"${HOME}/x\"}", "{C: \"${NOPE:-d}\"}", "{D: 8080, E: yes, F: on}",
        "{G: \"$${HOME\"}"));
    VALID.put("constraints", List.of("[hostname UNIQUE]", "['rack LIKE r[1-3]', zone cluster a]"));
    VALID.put("role", List.of("analytics", "'*'", "123"));
    VALID.put("user", List.of("nobody", "1000"));
    VALID.put("uris", List.of("[https://example.com/a.tgz?raw=1]", "[]", "[{value: etl.sh, executable: true}]",
        "[a.zip, {value: b.tgz, extract: false}]"));
    VALID.put("container", List.of("{image: alpine:3.20}"));
    VALID.put("labels", List.of("{team: data, tier: 2}", "{}"));

    NEAR.put("version", List.of("2", "'1'", "0"));
    NEAR.put("name", List.of("123", "..", ".", "bad name", "n".repeat(65), "''", "null", "[a]"));
    NEAR.put("command", List.of("['', x]", "[]", "''", "' '", "{a: 1}", "[' ', x]", "5"));
    NEAR.put("cpus", List.of("0", "-1", "lots", "'1'", "1_000", "1e-3"));
    NEAR.put("mem", List.of("0MiB", "0", "512MB", "-1", "''", "1_024", "lots", "0.0GiB", "9999999999999999MiB",
        "1 TiB"));
    NEAR.put("disk", List.of("-1", "5XB", "0.5"));
    NEAR.put("gpus", List.of("-1", "1.5", "two"));
    NEAR.put("ports", List.of("3000000000", "2147483647"));
    NEAR.put("instances", List.of("0", "3000000000", "1.5", "-1", "1_000", "1e3", "'2'"));
    NEAR.put("parallelism", List.of("0", "999"));
    NEAR.put("retries", List.of("-1", "99999999999"));
    NEAR.put("on_failure", List.of("ignore", "on", "STOP", "''"));
    NEAR.put("retry_on_exit", List.of("[0]", "[256]", "[]", "[3, 3]", "[1.5]", "3", "[255]"));
    NEAR.put("no_retry_exit", List.of("[2]", "[-1]"));
    NEAR.put("timeout", List.of("0s", "99999999999999d", "30", "1h2h", "0ms", "1.0000000001s", "0.000001ms",
        "''", "10", "1m30"));
    NEAR.put("deadline", List.of("0h0m", "-1s", "1d2d"));
    NEAR.put("unreachable_grace", List.of("-1s", "60", "1m2m", "''", "[60s]", "99999999999999d"));
    NEAR.put("env", List.of("{A: \"${HOME\"}", "{RUNNER_X: a}", "{1X: a}", "{A: null}", "{A: \"${1X}\"}",
        "{A: [x]}", "[A]", "{A: \"${A:-}\"}"));
    NEAR.put("constraints", List.of("[hostname EQ x]", "[hostname]", "['rack LIKE']", "['host UNIQUE x']", "[5]"));
    NEAR.put("role", List.of("''", "' '", "[r]"));
    NEAR.put("user", List.of("'two words'", "''"));
    NEAR.put("uris", List.of("[' ']", "['']", "x", "[{executable: true}]", "[{value: a, executable: yes}]",
        "[{value: a, fetch: true}]", "[{value: ''}]", "[[a]]"));
    NEAR.put("container", List.of("{image: ' '}", "{image: ''}", "{img: x}", "{}", "alpine"));
    NEAR.put("labels", List.of("{' ': x}", "{a: null}", "{a: [x]}"));

    DOCUMENTED.put("env: {A: \"${UNSET}\"}", "the loader knows the runner's environment, the schema does not");
    DOCUMENTED.put("constraints: ['rack LIKE [']", "a regular expression is checked by compiling it");
    DOCUMENTED.put("instances: 0x10", "hexadecimal and octal numbers are refused by the loader");
    DOCUMENTED.put("cpus: .inf", "JSON has no infinity or NaN");
    DOCUMENTED.put("name: +1", "the loader reads a number as its text; the schema sees only the value");
  }

  record Case(String yaml, String change) {}

  @Provide
  Arbitrary<Case> files() {
    return Arbitraries.randomValue(SchemaAgreementProperties::generate);
  }

  private static Case generate(Random random) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : VALID.entrySet()) {
      boolean required = JobReader.REQUIRED.contains(e.getKey());
      if (required || random.nextInt(3) == 0) fields.put(e.getKey(), pick(random, e.getValue()));
    }
    String change = "none";
    switch (random.nextInt(10)) {
      case 0 -> { }
      case 1 -> {
        String removed = pick(random, JobReader.REQUIRED);
        fields.remove(removed);
        change = "without " + removed;
      }
      case 2 -> {
        fields.put("cpu", "1");
        change = "unknown field";
      }
      case 3 -> {
        fields.put("retry_on_exit", "[1]");
        fields.put("no_retry_exit", "[2]");
        change = "both exit code lists";
      }
      default -> {
        String field = pick(random, new ArrayList<>(NEAR.keySet()));
        fields.put(field, pick(random, NEAR.get(field)));
        change = field + ": " + fields.get(field);
      }
    }
    return new Case(render(fields), change);
  }

  private static String render(Map<String, String> fields) {
    StringBuilder yaml = new StringBuilder();
    fields.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    return yaml.toString();
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static boolean loaderAccepts(String yaml) {
    try {
      LOADER.parse("gen.yaml", yaml.getBytes(UTF_8));
      return true;
    } catch (JobFileException e) {
      return false;
    }
  }

  private static boolean schemaAccepts(String yaml) {
    return SCHEMA.validate(YamlToJson.convert(yaml)).isEmpty();
  }

  @Property(tries = 400)
  void schemaAndLoaderAgreeOnGeneratedFiles(@ForAll("files") Case file) {
    assertThat(schemaAccepts(file.yaml()))
        .as("schema and loader verdicts differ after '%s' on:%n%s", file.change(), file.yaml())
        .isEqualTo(loaderAccepts(file.yaml()));
  }

  @net.jqwik.api.Example
  void everyValueInThePoolsGetsTheSameVerdictInAMinimalFile() {
    int accepted = 0;
    int refused = 0;
    List<String> disagreements = new ArrayList<>();
    for (Map<String, List<String>> pool : List.of(VALID, NEAR)) {
      for (Map.Entry<String, List<String>> e : pool.entrySet()) {
        for (String value : e.getValue()) {
          Map<String, String> fields = new LinkedHashMap<>(Map.of("name", "t", "command", "x", "cpus", "1", "mem", "1"));
          fields.put(e.getKey(), value);
          String yaml = render(fields);
          boolean loader = loaderAccepts(yaml);
          if (loader) accepted++; else refused++;
          if (loader != schemaAccepts(yaml)) disagreements.add(e.getKey() + ": " + value + " (loader " + loader + ")");
        }
      }
    }
    assertThat(disagreements).isEmpty();
    assertThat(accepted).as("valid values in the pools").isGreaterThan(60);
    assertThat(refused).as("refused values in the pools").isGreaterThan(80);
  }

  @Property(tries = 5)
  void everyDocumentedDisagreementIsReal(@ForAll("documented") String line) {
    String yaml = "name: t\ncommand: x\ncpus: 1\nmem: 1\n" + line + "\n";
    if (line.startsWith("cpus:") || line.startsWith("name:")) {
      String field = line.substring(0, line.indexOf(':'));
      yaml = yaml.replaceFirst("(?m)^" + field + ": .*\\n", "") + "";
    }
    assertThat(schemaAccepts(yaml)).as("schema on %s (%s)", line, DOCUMENTED.get(line)).isTrue();
    assertThat(loaderAccepts(yaml)).as("loader on %s", line).isFalse();
  }

  @Provide
  Arbitrary<String> documented() {
    return Arbitraries.of(new ArrayList<>(DOCUMENTED.keySet()));
  }
}
