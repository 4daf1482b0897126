package io.mesosrunner.cli;

import io.mesosrunner.report.HtmlReport;
import io.mesosrunner.report.JsonReport;
import io.mesosrunner.report.JunitReport;
import io.mesosrunner.report.ReportFiles;
import io.mesosrunner.report.RunReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The report files a command was asked for ({@code --report}, {@code --junit}, {@code --html}):
 * checked before the run, so a path that cannot be written is a usage error and not a lost
 * report, and written after it.
 */
final class RunReports {

  private final Path json;
  private final Path junit;
  private final Path html;

  RunReports(Path json, Path junit, Path html) {
    this.json = json;
    this.junit = junit;
    this.html = html;
  }

  boolean any() {
    return json != null || junit != null || html != null;
  }

  /** Whether a report goes to standard output (so nothing else may). */
  boolean toStdout() {
    for (Path p : new Path[] {json, junit, html}) if (p != null && ReportFiles.isStdout(p)) return true;
    return false;
  }

  /** Why a report cannot be written, one message per path; empty when all can. */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    check(out, "--report", json);
    check(out, "--junit", junit);
    check(out, "--html", html);
    int toStdout = 0;
    for (Path p : new Path[] {json, junit, html}) if (p != null && ReportFiles.isStdout(p)) toStdout++;
    if (toStdout > 1) out.add("only one report can go to standard output (-)");
    return out;
  }

  private static void check(List<String> out, String option, Path file) {
    if (file == null) return;
    String why = ReportFiles.whyNotWritable(file);
    if (why != null) out.add("cannot write " + option + " " + file + ": " + why);
  }

  /** Writes every report asked for; false (after saying why on {@code err}) when one could not be. */
  boolean write(RunReport r, PrintStream out, PrintStream err) {
    boolean ok = true;
    try {
      if (json != null) JsonReport.write(r, json, out);
    } catch (IOException e) {
      err.println("runner: cannot write the report " + json + ": " + e.getMessage());
      ok = false;
    }
    try {
      if (junit != null) JunitReport.write(r, junit, out);
    } catch (IOException e) {
      err.println("runner: cannot write the JUnit report " + junit + ": " + e.getMessage());
      ok = false;
    }
    try {
      if (html != null) HtmlReport.write(r, html, out);
    } catch (IOException e) {
      err.println("runner: cannot write the HTML report " + html + ": " + e.getMessage());
      ok = false;
    }
    return ok;
  }

  /**
   * A report read from a journal with a pipeline's steps, from the job text the run recorded;
   * unchanged for a single job, or when that text no longer loads.
   */
  static RunReport withSteps(RunReport r, String jobText, java.util.Map<String, String> env) {
    if (jobText == null) return r;
    try {
      io.mesosrunner.job.Pipeline p = new io.mesosrunner.job.JobLoader(env)
          .parsePipeline(r.jobFile() == null ? "job" : r.jobFile(), jobText.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (p.instances() != r.instanceList().size()) return r;
      return r.withSteps(io.mesosrunner.report.ReportSteps.of(p, r.instanceList(), null));
    } catch (io.mesosrunner.job.JobFileException e) {
      return r;
    }
  }
}
