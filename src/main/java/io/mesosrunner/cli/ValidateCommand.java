package io.mesosrunner.cli;

import io.mesosrunner.job.JobError;
import io.mesosrunner.job.JobFileException;
import io.mesosrunner.job.JobLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code runner validate FILE...}: checks job files, prints every error, runs nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check job files and print every error with file:line:column; run nothing.",
        "Exit 0 if all are valid, 2 otherwise."})
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "JOBFILE", description = "Job files to check; - reads one from stdin.")
  List<Path> files;

  private final CliContext ctx;

  ValidateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    JobLoader loader = new JobLoader(ctx.env());
    int bad = 0;
    for (Path f : files) {
      JobSource source = JobSource.of(f);
      if (source.isStdin()) {
        JobFiles.Loaded loaded = source.load(ctx);
        if (loaded == null) bad++;
        else ctx.out().println(JobSource.STDIN + ": ok (" + JobText.describe(loaded.pipeline()) + ")");
        continue;
      }
      try {
        ctx.out().println(f + ": ok (" + JobText.describe(loader.parsePipeline(f.toString(), JobFiles.read(f))) + ")");
      } catch (JobFileException e) {
        bad++;
        for (JobError error : e.errors()) ctx.err().println(error);
      }
    }
    if (bad > 0 && files.size() > 1) ctx.err().println(bad + " of " + files.size() + " files are invalid");
    return bad == 0 ? ExitCode.OK : ExitCode.USAGE;
  }
}
