package io.mesosrunner.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link RunReport} as JUnit XML, so CI systems show a run as a test suite: one test
 * case per instance. An instance that failed for good is a failure (its last stderr lines in the
 * body); one that never ran to an end because the run stopped (killed, never launched, still
 * running) is skipped with the reason, so a CI page counts only real failures as failures.
 */
public final class JunitReport {

  private JunitReport() {}

  /** Writes the XML to {@code file} (mode 0644), or to {@code stdout} when the file is {@code -}. */
  public static void write(RunReport r, Path file, PrintStream stdout) throws IOException {
    ReportFiles.write(file, toXml(r), stdout);
  }

  /** The report as JUnit XML: one test suite, or for a pipeline one per step (in {@code testsuites}). */
  public static String toXml(RunReport r) {
    StringWriter w = new StringWriter();
    try {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      if (r.steps().isEmpty()) {
        suite(x, r, r.job(), null, r.instanceList(), "");
      } else {
        x.writeStartElement("testsuites");
        x.writeAttribute("name", r.job());
        x.writeAttribute("tests", Integer.toString(r.instances()));
        x.writeAttribute("failures", Integer.toString(r.failed()));
        x.writeAttribute("time", millis(r.wallSeconds()));
        x.writeCharacters("\n");
        for (RunReport.Step step : r.steps()) {
          List<RunReport.Instance> of = r.instanceList().subList(step.first(), step.first() + step.instances());
          suite(x, r, r.job() + "." + step.name(), step, of, "  ");
        }
        x.writeEndElement();
      }
      x.writeEndDocument();
      x.flush();
      x.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write JUnit XML: " + e.getMessage(), e);
    }
    return w + "\n";
  }

  /** One test suite: a test case per instance ({@code step} null for a single job). */
  private static void suite(XMLStreamWriter x, RunReport r, String name, RunReport.Step step,
      List<RunReport.Instance> instances, String indent) throws XMLStreamException {
    int skipped = 0;
    int failed = 0;
    for (RunReport.Instance i : instances) {
      if (skipReason(r, step, i) != null) skipped++;
      if ("FAILED".equals(i.state())) failed++;
    }
    x.writeCharacters(indent);
    x.writeStartElement("testsuite");
    x.writeAttribute("name", name);
    x.writeAttribute("tests", Integer.toString(instances.size()));
    x.writeAttribute("failures", Integer.toString(failed));
    x.writeAttribute("errors", "0");
    x.writeAttribute("skipped", Integer.toString(skipped));
    if (step == null) x.writeAttribute("time", millis(r.wallSeconds()));
    if (r.startedAt() != null) x.writeAttribute("timestamp", r.startedAt());
    x.writeCharacters("\n");
    int first = step == null ? 0 : step.first();
    for (RunReport.Instance i : instances) {
      x.writeCharacters(indent + "  ");
      x.writeStartElement("testcase");
      x.writeAttribute("classname", name);
      x.writeAttribute("name", "instance " + (i.index() - first));
      x.writeAttribute("time", millis(seconds(i)));
      RunReport.Attempt last = i.lastAttempt();
      String skip = skipReason(r, step, i);
      if ("FAILED".equals(i.state())) {
        x.writeStartElement("failure");
        x.writeAttribute("message", "failed after " + i.attempts().size()
            + (i.attempts().size() == 1 ? " attempt" : " attempts") + lastSaid(last));
        StringBuilder body = new StringBuilder();
        if (last != null && last.message() != null) body.append(last.message()).append('\n');
        if (last != null && !last.stderrTail().isEmpty()) {
          body.append("last lines of stderr of ").append(last.taskId()).append(":\n");
          for (String line : last.stderrTail()) body.append(line).append('\n');
        }
        if (body.length() > 0) x.writeCharacters(body.toString());
        x.writeEndElement();
      } else if (skip != null) {
        x.writeEmptyElement("skipped");
        x.writeAttribute("message", skip);
      }
      if (i.ranMoreThanOnce() != null) {
        x.writeStartElement("system-out");
        x.writeCharacters(i.ranMoreThanOnce() + "\n");
        x.writeEndElement();
      }
      x.writeEndElement();
      x.writeCharacters("\n");
    }
    x.writeCharacters(indent);
    x.writeEndElement();
    if (step != null) x.writeCharacters("\n");
  }

  private static String skipReason(RunReport r, RunReport.Step step, RunReport.Instance i) {
    if (step != null && step.reason() != null && i.attempts().isEmpty()) return "step skipped: " + step.reason();
    return skipReason(r, i);
  }

  /** Why an instance that neither completed nor failed did not run to its end, or null. */
  static String skipReason(RunReport r, RunReport.Instance i) {
    if ("DONE".equals(i.state()) || "FAILED".equals(i.state())) return null;
    String why = r.reason() == null ? "" : ": " + r.reason();
    String stop = r.exitCode() == null ? "the run had not ended" : "the run ended " + r.state();
    RunReport.Attempt last = i.lastAttempt();
    if (last == null) return "never launched: " + stop + why;
    if ("TASK_KILLED".equals(last.state())) return "killed when " + stop + why;
    if (last.endedAt() == null) return "still running when " + stop + why;
    return "not run to its end: " + stop + why;
  }

  private static String lastSaid(RunReport.Attempt last) {
    if (last == null) return "";
    StringBuilder b = new StringBuilder(", last ").append(last.state());
    if (last.exitCode() != null) b.append(" exit code ").append(last.exitCode());
    if (last.kind() != null && last.reason() != null) b.append(" (").append(last.kind()).append(": ").append(last.reason()).append(')');
    if ("TIMED_OUT".equals(last.cause())) b.append(" (timed out)");
    return b.toString();
  }

  /** Seconds to the millisecond, {@code 0.797} (a sum of durations in floating point is not exact). */
  private static String millis(double seconds) {
    return java.math.BigDecimal.valueOf(seconds).setScale(3, java.math.RoundingMode.HALF_UP).toPlainString();
  }

  private static double seconds(RunReport.Instance i) {
    double total = 0;
    for (RunReport.Attempt a : i.attempts()) {
      if (a.startedAt() != null && a.endedAt() != null) {
        total += (Times.epochMillis(a.endedAt()) - Times.epochMillis(a.startedAt())) / 1000.0;
      }
    }
    return total;
  }
}
