package io.mesosrunner.cli;

import static org.assertj.core.api.Assertions.assertThat;

/** The outcome of one in-process command line, with readable assertions. */
record CliResult(int exitCode, String out, String err) {

  CliResult exitedWith(int expected) {
    assertThat(exitCode).as("exit code; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(expected);
    return this;
  }

  CliResult outContains(String... parts) {
    assertThat(out).contains(parts);
    return this;
  }

  CliResult errContains(String... parts) {
    assertThat(err).contains(parts);
    return this;
  }

  CliResult noStackTrace() {
    assertThat(out + err).doesNotContain("\tat ").doesNotContain("Exception");
    return this;
  }
}
