package io.mesosrunner.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {

  @TempDir Path tmp;

  @Test
  void aReportFileIsReadableByAllAndReplacedWhole() throws IOException {
    Path file = tmp.resolve("out/deeper/r.json");
    ReportFiles.write(file, "one", System.out);
    ReportFiles.write(file, "two", System.out);
    assertThat(Files.readString(file)).isEqualTo("two");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    try (var left = Files.list(file.getParent())) {
      assertThat(left).containsExactly(file);
    }
  }

  @Test
  void aDashIsStandardOutput() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportFiles.write(Path.of("-"), "{}\n", new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{}\n");
    assertThat(tmp.resolve("-")).doesNotExist();
    assertThat(ReportFiles.whyNotWritable(Path.of("-"))).isNull();
  }

  @Test
  void pathsThatCannotTakeAReportSayWhy() throws IOException {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    assertThat(ReportFiles.whyNotWritable(file.resolve("r.json"))).isEqualTo("not a directory: " + file);
    assertThat(ReportFiles.whyNotWritable(tmp)).isEqualTo("it is a directory");
    assertThat(ReportFiles.whyNotWritable(tmp.resolve("new/dir/r.json"))).isNull();
    try (var left = Files.list(tmp.resolve("new/dir"))) {
      assertThat(left).isEmpty();
    }
  }
}
