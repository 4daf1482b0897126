package io.mesosrunner.cli;

import io.mesosrunner.job.JobSchema;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code runner schema}: prints the JSON Schema of job files, for editors. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of job files (for editors and linters).")
final class SchemaCommand implements Callable<Integer> {
  private final CliContext ctx;

  SchemaCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    ctx.out().print(JobSchema.text());
    ctx.out().flush();
    return ExitCode.OK;
  }
}
