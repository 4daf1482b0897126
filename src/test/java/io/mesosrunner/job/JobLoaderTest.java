package io.mesosrunner.job;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JobLoaderTest {

  private static final String MINIMAL = "name: t\ncommand: x\ncpus: 1\nmem: 32\n";

  private final JobLoader loader = new JobLoader(Map.of("HOME", "/home/ci", "TOKEN", "s3cret"));

  private Job load(String yaml) throws JobFileException {
    return loader.parse("jobs/t.yaml", yaml.getBytes(UTF_8));
  }

  private List<String> errors(String yaml) {
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> load(yaml));
    assertThat(e).as("expected %s to be refused", yaml).isNotNull();
    return e.errors().stream().map(JobError::toString).toList();
  }

  @Test
  @Timeout(30)
  void loadsWhileTheValidatorIsPreparedOnAnotherThreadReportTheSameErrors() throws InterruptedException {
    Thread other = new Thread(JobLoader::prepareValidator);
    other.start();
    JobLoader.prepareValidator();
    assertThat(errors("name: t\ncommand: x\ncpus: 0\nmem: 32\nenv: {RUNNER_X: a}\n")).containsExactly(
        "jobs/t.yaml:3:7: cpus must be greater than 0 (got 0)",
        "jobs/t.yaml:5:7: env key must not start with RUNNER_, which is reserved for the runner (got 'RUNNER_X')");
    other.join(10_000);
    assertThat(other.isAlive()).isFalse();
  }

  @Test
  void readsEveryFieldOfAFullFile() throws Exception {
    Job job = load("""
        version: 1
        name: etl.nightly_2
        command: [python3, etl.py, --day, 2024-01-01]
        cpus: 0.5
        mem: 1.5GiB
        disk: 512
        gpus: 1
        ports: 2
        instances: 4
        parallelism: 2
        retries: 0
        timeout: 10m
        deadline: 2h30m
        env: {HOME_DIR: "${HOME}/x", LITERAL: "$${HOME}", PORT: 8080}
        constraints:
          - hostname UNIQUE
          - rack like r[1-3]
          - zone CLUSTER us-east-1a
          - os UNLIKE windows.*
        role: analytics
        user: nobody
        uris: [https://example.org/tool.tgz]
        container: {image: alpine:3.20}
        labels: {team: data, tier: 2}
        """);
    assertThat(job).isEqualTo(new Job("etl.nightly_2",
        Command.argv(List.of("python3", "etl.py", "--day", "2024-01-01")), 0.5, 1536, 512, 1, 2, 4, 2, 0,
        Duration.ofMinutes(10), Duration.ofMinutes(150),
        Map.of("HOME_DIR", "/home/ci/x", "LITERAL", "${HOME}", "PORT", "8080"),
        List.of(new Constraint("hostname", Constraint.Operator.UNIQUE, null),
            new Constraint("rack", Constraint.Operator.LIKE, "r[1-3]"),
            new Constraint("zone", Constraint.Operator.CLUSTER, "us-east-1a"),
            new Constraint("os", Constraint.Operator.UNLIKE, "windows.*")),
        "analytics", "nobody", List.of(FetchUri.of("https://example.org/tool.tgz")), new Container("alpine:3.20"),
        Map.of("team", "data", "tier", "2")));
  }

  @Test
  void appliesDefaultsToOptionalFields() throws Exception {
    Job job = load(MINIMAL + "instances: 5\n");
    assertThat(job.command()).isEqualTo(Command.shell("x"));
    assertThat(job.diskMb()).isZero();
    assertThat(job.gpus()).isZero();
    assertThat(job.ports()).isZero();
    assertThat(job.instances()).isEqualTo(5);
    assertThat(job.parallelism()).isEqualTo(5);
    assertThat(job.retries()).isEqualTo(3);
    assertThat(job.role()).isEqualTo("*");
    assertThat(job.env()).isEmpty();
    assertThat(job.labels()).isEmpty();
    assertThat(job.uris()).isEmpty();
    assertThat(job.constraints()).isEmpty();
    assertThat(job.timeout()).isNull();
    assertThat(job.deadline()).isNull();
    assertThat(job.user()).isNull();
    assertThat(job.container()).isNull();
    assertThat(load(MINIMAL).instances()).isEqualTo(1);
  }

  @Test
  void treatsAnEmptyOptionalFieldAsUnset() throws Exception {
    Job job = load(MINIMAL + "env:\nuser:\n");
    assertThat(job.env()).isEmpty();
    assertThat(job.user()).isNull();
  }

  @Test
  void reportsTheDesignDocumentExamples() {
    assertThat(errors("name: etl\ncommand: run\ncpu: 1\nmem: 1\n\n")).contains(
        "jobs/t.yaml:3:1: unknown field 'cpu' (did you mean 'cpus'?)");
    assertThat(errors("name: etl\ncommand: run\ncpus: 1\n\nmem:    -5\n")).containsExactly(
        "jobs/t.yaml:5:9: mem must be greater than 0 (got -5)");
  }

  @Test
  void reportsAllErrorsOfAFileTogetherSortedByPosition() {
    assertThat(errors("""
        cpu: 1
        name: bad name!
        command: []
        cpus: lots
        mem: -5
        instances: 2
        parallelism: 5
        labels: {'': x}
        """)).containsExactly(
        "jobs/t.yaml:1:1: unknown field 'cpu' (did you mean 'cpus'?)",
        "jobs/t.yaml:2:7: name must contain only letters, digits, '.', '_' and '-' (got 'bad name!')",
        "jobs/t.yaml:3:10: command must not be an empty list",
        "jobs/t.yaml:4:7: cpus must be a number (got 'lots')",
        "jobs/t.yaml:5:6: mem must be greater than 0 (got -5)",
        "jobs/t.yaml:8:10: labels key must not be empty (got '')");
  }

  @Test
  void exceptionMessageIsTheErrorsOnePerLine() {
    JobFileException e = catchThrowableOfType(JobFileException.class, () -> load("name: a\n"));
    assertThat(e.getMessage()).isEqualTo("""
        jobs/t.yaml:1:1: missing required field 'command'
        jobs/t.yaml:1:1: missing required field 'cpus'
        jobs/t.yaml:1:1: missing required field 'mem'""");
  }

  @Test
  void doesNotReportAMissingFieldThatAnUnknownFieldWasTakenFor() {
    assertThat(errors("name: t\ncommand: x\ncpu: 1\nmemory: 1\n")).containsExactly(
        "jobs/t.yaml:3:1: unknown field 'cpu' (did you mean 'cpus'?)",
        "jobs/t.yaml:4:1: unknown field 'memory' (did you mean 'mem'?)");
  }

  @Test
  void reportsMissingValueOfARequiredFieldAtTheField() {
    assertThat(errors("name:\ncommand: x\ncpus: 1\nmem: 1\n")).containsExactly(
        "jobs/t.yaml:1:6: missing value for required field 'name'");
  }

  @Test
  void suggestsTheClosestFieldForATypoAndNothingForANonsenseName() {
    assertThat(errors(MINIMAL + "retires: 2\ninstance: 2\nmemory: 3\nwhatever: 1\n")).containsExactly(
        "jobs/t.yaml:5:1: unknown field 'retires' (did you mean 'retries'?)",
        "jobs/t.yaml:6:1: unknown field 'instance' (did you mean 'instances'?)",
        "jobs/t.yaml:7:1: unknown field 'memory' (did you mean 'mem'?)",
        "jobs/t.yaml:8:1: unknown field 'whatever'");
  }

  @Test
  void refusesDuplicateKeysAtTheSecondOccurrence() {
    assertThat(errors(MINIMAL + "cpus: 2\nenv:\n  A: 1\n  A: 2\ncontainer: {image: a, image: b}\n"))
        .containsExactly(
            "jobs/t.yaml:5:1: duplicate field 'cpus' (first at line 3)",
            "jobs/t.yaml:8:3: duplicate key 'A' in env (first at line 7)",
            "jobs/t.yaml:9:23: duplicate field 'image' in container (first at line 9)");
  }

  @Test
  void namesTheExpectedTypeAndEchoesTheValue() {
    assertThat(errors("""
        name: [a]
        command: {run: x}
        cpus: true
        mem: lots
        disk: [1]
        gpus: 1.5
        ports: two
        instances: 0x10
        retries: 99999999999
        timeout: 30
        deadline: soon
        env: [A]
        constraints: hostname UNIQUE
        role: {a: 1}
        uris: http://x
        container: alpine
        labels: {a: [1]}
        """)).containsExactly(
        "jobs/t.yaml:1:7: name must be a string (got a list)",
        "jobs/t.yaml:2:10: command must be a string or a list of strings (got a mapping)",
        "jobs/t.yaml:3:7: cpus must be a number (got true)",
        "jobs/t.yaml:4:6: mem: not a size: 'lots' (expected MiB or a number with a unit, e.g. 512, 512MiB, 2GiB)",
        "jobs/t.yaml:5:7: disk must be a number of MiB or a size such as 512MiB or 2GiB (got a list)",
        "jobs/t.yaml:6:7: gpus must be a whole number (got 1.5)",
        "jobs/t.yaml:7:8: ports must be a whole number (got 'two')",
        "jobs/t.yaml:8:12: instances must be a decimal whole number (got 0x10)",
        "jobs/t.yaml:9:10: retries is out of range (got 99999999999)",
        "jobs/t.yaml:10:10: timeout must be a duration with a unit, such as 30s, 10m or 2h30m (got 30)",
        "jobs/t.yaml:11:11: timeout: not a duration: 'soon' (use a number with a unit: ms, s, m, h or d, e.g. 30s, 10m, 2h30m)"
            .replace("timeout:", "deadline:"),
        "jobs/t.yaml:12:6: env must be a mapping of strings (got a list)",
        "jobs/t.yaml:13:14: constraints must be a list of strings such as 'hostname UNIQUE' (got 'hostname UNIQUE')",
        "jobs/t.yaml:14:7: role must be a string (got a mapping)",
        "jobs/t.yaml:15:7: uris must be a list of strings or {value, executable, extract} mappings (got 'http://x')",
        "jobs/t.yaml:16:12: container must be a mapping such as {image: alpine:3.20} (got 'alpine')",
        "jobs/t.yaml:17:13: labels.a must be a string (got a list)");
  }

  @Test
  void refusesOutOfRangeNumbers() {
    assertThat(errors("name: t\ncommand: x\ncpus: 0\nmem: 0MiB\ndisk: -1\ngpus: -1\nports: -2\n"
        + "instances: 0\nparallelism: 0\nretries: -1\ntimeout: 0s\ndeadline: 0ms\ncpus2: .inf\n"))
        .containsExactly(
            "jobs/t.yaml:3:7: cpus must be greater than 0 (got 0)",
            "jobs/t.yaml:4:6: mem must be greater than 0 (got '0MiB')",
            "jobs/t.yaml:5:7: disk must be greater than or equal to 0 (got -1)",
            "jobs/t.yaml:6:7: gpus must be greater than or equal to 0 (got -1)",
            "jobs/t.yaml:7:8: ports must be greater than or equal to 0 (got -2)",
            "jobs/t.yaml:8:12: instances must be greater than 0 (got 0)",
            "jobs/t.yaml:9:14: parallelism must be greater than 0 (got 0)",
            "jobs/t.yaml:10:10: retries must be greater than or equal to 0 (got -1)",
            "jobs/t.yaml:11:10: timeout must be positive (got '0s')",
            "jobs/t.yaml:12:11: deadline must be positive (got '0ms')",
            "jobs/t.yaml:13:1: unknown field 'cpus2' (did you mean 'cpus'?)");
  }

  @Test
  void refusesInfiniteCpus() {
    assertThat(errors("name: t\ncommand: x\ncpus: .inf\nmem: 1\n")).containsExactly(
        "jobs/t.yaml:3:7: cpus must be a finite number (got .inf)");
  }

  @Test
  void acceptsParallelismAboveInstancesAsALimit() throws Exception {
    assertThat(load(MINIMAL + "instances: 3\nparallelism: 3\n").parallelism()).isEqualTo(3);
    Job job = load(MINIMAL + "parallelism: 2\n");
    assertThat(job.instances()).isEqualTo(1);
    assertThat(job.parallelism()).isEqualTo(2);
  }

  @Test
  void reportsZeroInstancesOnceAndNotAParallelismTheFileNeverSet() {
    assertThat(errors(MINIMAL + "instances: 0\n")).containsExactly(
        "jobs/t.yaml:5:12: instances must be greater than 0 (got 0)");
    assertThat(errors(MINIMAL + "instances: 0\nparallelism: 0\n")).containsExactly(
        "jobs/t.yaml:5:12: instances must be greater than 0 (got 0)",
        "jobs/t.yaml:6:14: parallelism must be greater than 0 (got 0)");
  }

  @Test
  void refusesNamesThatAreNotSafeAsADirectoryName() throws Exception {
    for (String name : List.of(".", "..", "'.'", "\"..\"")) {
      assertThat(errors(MINIMAL.replace("name: t", "name: " + name))).as(name).containsExactly(
          "jobs/t.yaml:1:7: name must not be '.' or '..' (it names the job's directory under .runner) (got '"
              + name.replaceAll("[\"']", "") + "')");
    }
    assertThat(load(MINIMAL.replace("name: t", "name: ...")).name()).isEqualTo("...");
    assertThat(load(MINIMAL.replace("name: t", "name: .hidden")).name()).isEqualTo(".hidden");
  }

  @Test
  void checksTheNameAgainstTheTaskIdAlphabetAndLength() throws Exception {
    String longest = "n".repeat(64);
    assertThat(load(MINIMAL.replace("name: t", "name: " + longest)).name()).isEqualTo(longest);
    assertThat(errors(MINIMAL.replace("name: t", "name: " + longest + "x"))).containsExactly(
        "jobs/t.yaml:1:7: name must be at most 64 characters (got '" + "n".repeat(57) + "...')");
    assertThat(errors(MINIMAL.replace("name: t", "name: \"\""))).containsExactly(
        "jobs/t.yaml:1:7: name must contain only letters, digits, '.', '_' and '-' (got '')");
    assertThat(load(MINIMAL.replace("name: t", "name: 2024")).name()).isEqualTo("2024");
  }

  @Test
  void acceptsCommandAsShellStringOrArgvList() throws Exception {
    assertThat(load(MINIMAL.replace("command: x", "command: |\n  echo a\n  echo b")).command())
        .isEqualTo(Command.shell("echo a\necho b\n"));
    assertThat(load(MINIMAL.replace("command: x", "command: [ls, -l, 3]")).command())
        .isEqualTo(Command.argv(List.of("ls", "-l", "3")));
    assertThat(errors(MINIMAL.replace("command: x", "command: \"  \""))).containsExactly(
        "jobs/t.yaml:2:10: command must not be empty");
    assertThat(errors(MINIMAL.replace("command: x", "command: [ls, [a], ~]"))).containsExactly(
        "jobs/t.yaml:2:15: command[1] must be a string (got a list)");
    assertThat(errors(MINIMAL.replace("command: x", "command: ['', a]"))).containsExactly(
        "jobs/t.yaml:2:11: command[0] (the program) must not be empty");
  }

  @Test
  void acceptsSizesAsNumbersOrStringsWithUnits() throws Exception {
    assertThat(load(MINIMAL.replace("mem: 32", "mem: 2GiB\ndisk: 100KiB")).memMb()).isEqualTo(2048);
    assertThat(load(MINIMAL.replace("mem: 32", "mem: 0.5\ndisk: 1024")).diskMb()).isEqualTo(1024);
    assertThat(errors(MINIMAL.replace("mem: 32", "mem: 0.5\ndisk: 1_024"))).containsExactly(
        "jobs/t.yaml:5:7: disk must be a number of MiB or a size such as 512MiB (YAML 1.2 reads a number with '_' as"
            + " text: write 1024) (got '1_024')");
    assertThat(errors(MINIMAL.replace("mem: 32", "mem: 512MB"))).containsExactly(
        "jobs/t.yaml:4:6: mem: unknown size unit 'MB' in '512MB' (use B, KiB, MiB, GiB or TiB)");
  }

  @Test
  void acceptsOnlyVersionOne() throws Exception {
    assertThat(load("version: 1\n" + MINIMAL).name()).isEqualTo("t");
    assertThat(errors("version: 2\n" + MINIMAL)).containsExactly("jobs/t.yaml:1:10: version must be 1 (got 2)");
    assertThat(errors("version: '1'\n" + MINIMAL)).containsExactly(
        "jobs/t.yaml:1:10: version must be 1 (got '1')");
  }

  @Test
  void substitutesEnvironmentVariablesInEnvValues() throws Exception {
    Job job = load(MINIMAL + "env:\n  A: ${HOME}-${TOKEN}\n  B: \"$${HOME} ${HOME}\"\n  C: $HOME\n");
    assertThat(job.env()).containsExactlyInAnyOrderEntriesOf(
        Map.of("A", "/home/ci-s3cret", "B", "${HOME} /home/ci", "C", "$HOME"));
  }

  @Test
  void substitutesADefaultForAnUnsetOrEmptyVariable() throws Exception {
    JobLoader withEmpty = new JobLoader(Map.of("HOME", "/home/ci", "EMPTY", ""));
    Job job = withEmpty.parse("jobs/t.yaml", (MINIMAL + """
        env:
          A: ${NOPE:-fallback}
          B: ${HOME:-unused}/x
          C: ${EMPTY:-was empty}
          D: "${NOPE:-}"
          E: ${NOPE:-a:-b $x}
          F: $${NOPE:-literal}
        """).getBytes(UTF_8));
    assertThat(job.env()).containsExactlyInAnyOrderEntriesOf(Map.of("A", "fallback", "B", "/home/ci/x",
        "C", "was empty", "D", "", "E", "a:-b $x", "F", "${NOPE:-literal}"));
    assertThat(errors(MINIMAL + "env:\n  A: ${1X:-d}\n  B: ${NOPE:-unterminated\n")).containsExactly(
        "jobs/t.yaml:6:6: env.A refers to an invalid variable name '${1X:-d}'",
        "jobs/t.yaml:7:6: env.B has an unterminated ${ (got '${NOPE:-unterminated'; write $${ for a literal ${)");
  }

  @Test
  void reportsAMissingVariableAtItsPositionInTheValue() {
    assertThat(errors(MINIMAL + "env:\n  A: x-${NOPE}\n  B: \"${ALSO_NOPE}\"\n  C: ${HOME\n  D: ${a b}\n"))
        .containsExactly(
            "jobs/t.yaml:6:8: env.A refers to ${NOPE}, which is not set in the runner's environment",
            "jobs/t.yaml:7:6: env.B refers to ${ALSO_NOPE}, which is not set in the runner's environment",
            "jobs/t.yaml:8:6: env.C has an unterminated ${ (got '${HOME'; write $${ for a literal ${)",
            "jobs/t.yaml:9:6: env.D refers to an invalid variable name '${a b}'");
  }

  @Test
  void refusesReservedAndInvalidEnvNames() {
    assertThat(errors(MINIMAL + "env:\n  RUNNER_INSTANCE: 1\n  1X: a\n  OK_1: fine\n")).containsExactly(
        "jobs/t.yaml:6:3: env key must not start with RUNNER_, which is reserved for the runner (got 'RUNNER_INSTANCE')",
        "jobs/t.yaml:7:3: env key must be a valid variable name: letters, digits and '_', not starting with a digit (got '1X')");
  }

  @Test
  void parsesConstraintsWithCaseInsensitiveOperators() throws Exception {
    Job job = load(MINIMAL + "constraints: ['host unique', 'rack Like  r[0-9]+ x']\n");
    assertThat(job.constraints()).containsExactly(
        new Constraint("host", Constraint.Operator.UNIQUE, null),
        new Constraint("rack", Constraint.Operator.LIKE, "r[0-9]+ x"));
  }

  @Test
  void reportsBadConstraintsAtThePartThatIsWrong() {
    assertThat(errors(MINIMAL + """
        constraints:
          - hostname
          - zone EQ us
          - hostname UNIQUE extra
          - zone CLUSTER
          - rack LIKE r[1-3
          - rack UNLIKE (a
          - [a]
        """)).containsExactly(
        "jobs/t.yaml:6:5: constraints[0] must be 'ATTRIBUTE OPERATOR [VALUE]', e.g. 'hostname UNIQUE' (got 'hostname')",
        "jobs/t.yaml:7:10: constraints[1] has unknown operator 'EQ' (expected UNIQUE, CLUSTER, LIKE or UNLIKE; got 'zone EQ us')",
        "jobs/t.yaml:8:21: constraints[2]: UNIQUE takes no value (got 'hostname UNIQUE extra')",
        "jobs/t.yaml:9:10: constraints[3]: CLUSTER needs a value (got 'zone CLUSTER')",
        "jobs/t.yaml:10:19: constraints[4] has an invalid regular expression 'r[1-3' (Unclosed character class at index 4)",
        "jobs/t.yaml:11:19: constraints[5] has an invalid regular expression '(a' (Unclosed group at index 2)",
        "jobs/t.yaml:12:5: constraints[6] must be a string (got a list)");
  }

  @Test
  void aUriIsAStringOrAMappingWithTheMesosFetchersOptions() throws JobFileException {
    Job job = load(MINIMAL + """
        uris: [a.tgz, {value: etl.sh, executable: true}, {value: b.zip, extract: false}]
        """);
    assertThat(job.uris()).containsExactly(new FetchUri("a.tgz", false, true), new FetchUri("etl.sh", true, true),
        new FetchUri("b.zip", false, false));
  }

  @Test
  void checksTheFieldsOfAUriMapping() {
    assertThat(errors(MINIMAL + """
        uris:
          - {executable: true}
          - {value: a, executable: yes}
          - {value: a, fetch: true}
          - {value: ''}
        """)).containsExactly(
        "jobs/t.yaml:6:5: uris[0] is missing required field 'value'",
        "jobs/t.yaml:7:28: uris[1].executable must be true or false (got 'yes')",
        "jobs/t.yaml:8:16: unknown field 'fetch' in uris[2]",
        "jobs/t.yaml:9:13: uris[3] must not be empty (got '')");
  }

  @Test
  void checksContainerUrisLabelsRoleAndUser() {
    assertThat(errors(MINIMAL + """
        container: {img: x}
        uris: [ok, '']
        labels: {team: ~}
        role: ''
        user: 'two words'
        """)).containsExactly(
        "jobs/t.yaml:5:12: container is missing required field 'image'",
        "jobs/t.yaml:5:13: unknown field 'img' in container",
        "jobs/t.yaml:6:12: uris[1] must not be empty (got '')",
        "jobs/t.yaml:7:16: labels.team must be a string (got null)",
        "jobs/t.yaml:8:7: role must not be empty (got '')",
        "jobs/t.yaml:9:7: user must not be empty or contain spaces (got 'two words')");
  }

  @Test
  void readsOnFailureAndTheExitCodeLists() throws Exception {
    Job defaults = load(MINIMAL);
    assertThat(defaults.onFailure()).isEqualTo(OnFailure.STOP);
    assertThat(defaults.retryOnExit()).isEmpty();
    assertThat(defaults.noRetryExit()).isEmpty();
    assertThat(defaults.retriesExitCode(1)).isTrue();
    assertThat(defaults.retriesExitCode(0)).isFalse();

    Job only = load(MINIMAL + "on_failure: continue\nretry_on_exit: [75, 1]\n");
    assertThat(only.onFailure()).isEqualTo(OnFailure.CONTINUE);
    assertThat(only.retryOnExit()).containsExactly(75, 1);
    assertThat(only.retriesExitCode(75)).isTrue();
    assertThat(only.retriesExitCode(1)).isTrue();
    assertThat(only.retriesExitCode(2)).isFalse();
    assertThat(only.retriesExitCode(0)).isFalse();

    Job never = load(MINIMAL + "on_failure: stop\nno_retry_exit:\n  - 2\n  - 64\n");
    assertThat(never.onFailure()).isEqualTo(OnFailure.STOP);
    assertThat(never.retriesExitCode(2)).isFalse();
    assertThat(never.retriesExitCode(64)).isFalse();
    assertThat(never.retriesExitCode(1)).isTrue();
    assertThat(never.withRole("other").noRetryExit()).containsExactly(2, 64);
  }

  @Test
  void refusesBadOnFailureAndExitCodesAtTheirPositions() {
    assertThat(errors(MINIMAL + "on_failure: ignore\nretry_on_exit: [0, 256, -1, x, 3, 3]\n")).containsExactly(
        "jobs/t.yaml:5:13: on_failure must be 'stop' or 'continue' (got 'ignore')",
        "jobs/t.yaml:6:17: retry_on_exit[0] is 0, which is success and never retried",
        "jobs/t.yaml:6:20: retry_on_exit[1] must be an exit code from 1 to 255 (got 256)",
        "jobs/t.yaml:6:25: retry_on_exit[2] must be an exit code from 1 to 255 (got -1)",
        "jobs/t.yaml:6:29: retry_on_exit[3] must be an exit code (a whole number from 1 to 255) (got 'x')",
        "jobs/t.yaml:6:35: retry_on_exit[5] repeats exit code 3");
    assertThat(errors(MINIMAL + "no_retry_exit: []\n")).containsExactly(
        "jobs/t.yaml:5:16: no_retry_exit must list at least one exit code (to retry nothing, set retries: 0)");
    assertThat(errors(MINIMAL + "no_retry_exit: 3\n")).containsExactly(
        "jobs/t.yaml:5:16: no_retry_exit must be a list of exit codes such as [1, 75] (got 3)");
  }

  @Test
  void refusesBothExitCodeListsAtTheLaterOne() {
    assertThat(errors(MINIMAL + "no_retry_exit: [2]\nretries: 1\nretry_on_exit: [1]\n")).containsExactly(
        "jobs/t.yaml:7:1: retry_on_exit and no_retry_exit cannot both be set (the other is at line 5;"
            + " retry_on_exit lists the only codes retried, no_retry_exit the codes never retried)");
  }
}
