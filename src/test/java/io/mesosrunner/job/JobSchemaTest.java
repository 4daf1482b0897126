package io.mesosrunner.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobSchemaTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonSchema schema() {
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(JobSchema.text());
  }

  private static JsonNode yamlToJson(String yaml) {
    return YamlToJson.convert(yaml);
  }

  static Stream<Path> exampleJobs() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
      assertThat(yaml).hasSizeGreaterThanOrEqualTo(4);
      return yaml.stream();
    }
  }

  @Test
  void classPathSchemaIsTheFileInTheSourceTree() throws IOException {
    assertThat(JobSchema.text()).isEqualTo(Files.readString(Path.of("schemas", "job.schema.json")));
  }

  @Test
  void schemaDescribesExactlyTheFieldsTheLoaderAccepts() throws IOException {
    JsonNode root = JSON.readTree(JobSchema.text());
    assertThat(root.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    assertThat(root.get("additionalProperties").asBoolean(true)).isFalse();
    Set<String> properties = new HashSet<>();
    root.get("properties").fieldNames().forEachRemaining(properties::add);
    Set<String> fieldsAndSteps = new HashSet<>(JobLoader.FIELDS);
    fieldsAndSteps.add("steps");
    assertThat(properties).containsExactlyInAnyOrderElementsOf(fieldsAndSteps);
    // A pipeline needs only its name at the top level; a single job (no steps) every required field.
    Set<String> required = new HashSet<>();
    root.get("required").forEach(n -> required.add(n.asText()));
    root.at("/allOf/0/then/required").forEach(n -> required.add(n.asText()));
    assertThat(required).containsExactlyInAnyOrderElementsOf(JobReader.REQUIRED);
    Set<String> stepFields = new HashSet<>();
    root.at("/$defs/step/properties").fieldNames().forEachRemaining(stepFields::add);
    Set<String> expected = new HashSet<>(JobLoader.FIELDS);
    expected.removeAll(List.of("version", "name", "deadline"));
    expected.addAll(PipelineReader.STEP_ONLY);
    assertThat(stepFields).containsExactlyInAnyOrderElementsOf(expected);
    Set<String> containerFields = new HashSet<>();
    root.at("/properties/container/properties").fieldNames().forEachRemaining(containerFields::add);
    assertThat(containerFields).containsExactlyInAnyOrderElementsOf(JobReader.CONTAINER_FIELDS);
    assertThat(root.at("/properties/container/additionalProperties").asBoolean(true)).isFalse();
  }

  @Test
  void everyFieldTheLoaderAcceptsIsARecordComponentOrVersion() {
    Set<String> components = new HashSet<>();
    for (var c : Job.class.getRecordComponents()) components.add(c.getName());
    for (String field : JobLoader.FIELDS) {
      String component = switch (field) {
        case "mem" -> "memMb";
        case "disk" -> "diskMb";
        case "on_failure" -> "onFailure";
        case "retry_on_exit" -> "retryOnExit";
        case "no_retry_exit" -> "noRetryExit";
        case "unreachable_grace" -> "unreachableGrace";
        default -> field;
      };
      if (!field.equals("version")) assertThat(components).as("field %s", field).contains(component);
    }
    assertThat(components).hasSize(JobLoader.FIELDS.size() - 1);
  }

  @ParameterizedTest
  @MethodSource("exampleJobs")
  void exampleJobValidatesAgainstTheSchemaAndLoads(Path file) throws Exception {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    Set<ValidationMessage> problems = schema().validate(yamlToJson(yaml));
    assertThat(problems).as("schema problems in %s", file).isEmpty();
    Job job = new JobLoader(Map.of()).parse(file.toString(), Files.readAllBytes(file));
    assertThat(file.getFileName().toString()).isEqualTo(job.name().replace("hello-world", "hello") + ".yaml");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "name: t\ncommand: x\ncpus: 1\nmem: 1\ncpu: 1\n",
      "command: x\ncpus: 1\nmem: 1\n",
      "name: t\ncommand: x\ncpus: lots\nmem: 1\n",
      "name: t\ncommand: x\ncpus: 0\nmem: 1\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 512MB\n",
      "name: bad name\ncommand: x\ncpus: 1\nmem: 1\n",
      "name: t\ncommand: []\ncpus: 1\nmem: 1\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\ntimeout: 30\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nenv: {RUNNER_X: a}\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nconstraints: [hostname EQ x]\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\ncontainer: {img: x}\n",
      "version: 2\nname: t\ncommand: x\ncpus: 1\nmem: 1\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\non_failure: ignore\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nretry_on_exit: [0]\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nno_retry_exit: [256]\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nno_retry_exit: []\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nno_retry_exit: [3, 3]\n",
      "name: t\ncommand: x\ncpus: 1\nmem: 1\nretry_on_exit: [1]\nno_retry_exit: [2]\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {'a b': {}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {name: b}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {deadline: 1h}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {neds: [b]}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {}, b: {needs: [a, a]}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {instances: 2, matrix: {X: [1]}}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {matrix: {RUNNER_X: [1]}}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {matrix: {X: []}}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {matrix: {X: [1, 1]}}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {outputs: [../x]}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {outputs: [/etc/passwd]}}\n",
      "name: p\ncommand: x\ncpus: 1\nmem: 1\nsteps: {a: {cpus: 0}}\n",
  })
  void schemaAndLoaderBothRefuseTheSameBadFile(String yaml) {
    assertThat(schema().validate(yamlToJson(yaml))).as("schema verdict on %s", yaml).isNotEmpty();
    assertThat(catchThrowableOfType(JobFileException.class,
        () -> new JobLoader(Map.of()).parse("bad.yaml", yaml.getBytes(StandardCharsets.UTF_8))))
        .as("loader verdict on %s", yaml).isNotNull();
  }
}
