package io.mesosrunner.report;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a {@link RunReport} as JUnit XML, so CI systems show a run as a test suite: one test
 * case per instance, failed when the instance did not complete.
 */
public final class JunitReport {

  private JunitReport() {}

  public static void write(RunReport r, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", r.job());
      x.writeAttribute("tests", Integer.toString(r.instances()));
      int failures = r.instances() - r.completed();
      x.writeAttribute("failures", Integer.toString(failures));
      x.writeAttribute("errors", "0");
      x.writeAttribute("time", Double.toString(r.wallSeconds()));
      if (r.startedAt() != null) x.writeAttribute("timestamp", r.startedAt());
      x.writeCharacters("\n");
      for (RunReport.Instance i : r.instanceList()) {
        x.writeCharacters("  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", r.job());
        x.writeAttribute("name", "instance " + i.index());
        x.writeAttribute("time", Double.toString(seconds(i)));
        if (!"DONE".equals(i.state())) {
          RunReport.Attempt last = i.attempts().isEmpty() ? null : i.attempts().get(i.attempts().size() - 1);
          x.writeStartElement("failure");
          String msg = i.state().toLowerCase() + " after " + i.attempts().size() + " attempt(s)"
              + (last == null ? "" : ", last " + last.state()
                  + (last.exitCode() == null ? "" : " exit code " + last.exitCode()));
          x.writeAttribute("message", msg);
          if (last != null && last.message() != null) x.writeCharacters(last.message());
          x.writeEndElement();
        }
        x.writeEndElement();
        x.writeCharacters("\n");
      }
      x.writeEndElement();
      x.writeEndDocument();
      x.flush();
      x.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write JUnit XML to " + file + ": " + e.getMessage(), e);
    }
  }

  private static double seconds(RunReport.Instance i) {
    double total = 0;
    for (RunReport.Attempt a : i.attempts()) {
      if (a.startedAt() != null && a.endedAt() != null) {
        total += java.time.Duration.between(java.time.Instant.parse(a.startedAt()), java.time.Instant.parse(a.endedAt()))
            .toMillis() / 1000.0;
      }
    }
    return total;
  }
}
