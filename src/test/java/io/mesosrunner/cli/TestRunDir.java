package io.mesosrunner.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An in-process run's files in a test's temporary directory: its job file and its state directory. */
record TestRunDir(Path dir) {

  /** Writes {@code yaml} as the job file {@code job.yaml} (again each time) and returns its path. */
  Path job(String yaml) throws IOException {
    Path f = dir.resolve("job.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** The state directory, for {@code --state-dir}. */
  String state() {
    return dir.resolve("state").toString();
  }
}
