package io.mesosrunner.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link RunReport} as one self-contained HTML page: the summary, a timeline of every
 * attempt per agent, a utilisation strip, and the failed instances. Nothing is loaded from the
 * network: the styles, the data (JSON) and the script that draws the SVG are inline.
 *
 * <p>The data is columnar (one array per field, one entry per attempt, times in whole ticks of
 * {@code unit} milliseconds) so that 100,000 attempts stay a few megabytes; the script joins bars
 * that would be narrower than a pixel, so the page stays quick to draw at any size.
 */
public final class HtmlReport {

  /** Attempt outcomes as the page colours them (index into the script's colour table). */
  static final int FINISHED = 0;
  static final int FAILED = 1;
  static final int KILLED = 2;
  static final int LOST = 3;
  static final int RUNNING = 4;

  /** The timeline's time resolution: at most this many ticks across the run. */
  private static final long MAX_TICKS = 1_000_000;
  /** Failed instances listed in the table; the rest are counted. */
  static final int MAX_FAILED_ROWS = 1000;

  private static final String SCRIPT = resource("report.js");
  private static final String STYLE = resource("report.css");

  private HtmlReport() {}

  /** Writes the page to {@code file} (mode 0644), or to {@code stdout} when the file is {@code -}. */
  public static void write(RunReport r, Path file, PrintStream stdout) throws IOException {
    ReportFiles.write(file, toHtml(r), stdout);
  }

  /** The page. */
  public static String toHtml(RunReport r) {
    StringBuilder b = new StringBuilder(4096 + (int) Math.min(Integer.MAX_VALUE / 2, r.attempts() * 40));
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(html(r.job())).append(" run ").append(html(r.runId())).append("</title>\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            + "script-src 'unsafe-inline'; style-src 'unsafe-inline'\">\n")
        .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
    summary(b, r);
    PipelineSvg.append(b, r);
    b.append("<h2>Timeline: one row per agent, one bar per attempt</h2>\n")
        .append("<p class=\"legend\">")
        .append(key("#2ca02c", "finished")).append(key("#d62728", "failed")).append(key("#8c8c8c", "killed"))
        .append(key("#ff7f0e", "lost")).append(key("#1f77b4", "running or no end recorded"))
        .append("<span class=\"key\">- - - retry of the same instance</span></p>\n")
        .append("<div id=\"timeline\"></div>\n")
        .append("<pre id=\"details\"></pre>\n")
        .append("<h2>Utilisation: cpus in use against what the offers held, and why instances waited</h2>\n")
        .append("<div id=\"utilisation\"></div>\n");
    failedTable(b, r);
    b.append("<p id=\"render-info\">The timeline needs JavaScript.</p>\n<div id=\"tip\"></div>\n")
        .append("<script type=\"application/json\" id=\"run-data\">");
    data(b, r);
    b.append("</script>\n<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n");
    return b.toString();
  }

  private static void summary(StringBuilder b, RunReport r) {
    String outcome = r.outcome() == null ? "NOT_ENDED" : r.outcome();
    String word = r.state() == null ? "not ended" : r.state();
    b.append("<h1>").append(html(r.job())).append(": <span id=\"outcome\" class=\"outcome-").append(html(outcome))
        .append("\">").append(html(word)).append("</span>");
    if (r.reason() != null && !"SUCCEEDED".equals(r.outcome())) b.append(" <small>").append(html(r.reason())).append("</small>");
    b.append("</h1>\n<dl class=\"summary\">\n");
    item(b, "run", "run id", r.runId());
    item(b, "cluster", "cluster", r.cluster());
    item(b, "wall", "wall time", TextSummary.seconds(r.wallSeconds()));
    item(b, "instances", "instances", Integer.toString(r.instances()));
    item(b, "completed", "completed", Integer.toString(r.completed()));
    item(b, "failed", "failed", Integer.toString(r.failed()));
    item(b, "attempts", "attempts", Long.toString(r.attempts()));
    item(b, "failed-attempts", "failed attempts", Long.toString(r.failedAttempts()));
    item(b, "losses", "lost to the cluster", Long.toString(r.losses()));
    item(b, "started", "started", r.startedAt());
    item(b, "exit", "exit code", r.exitCode() == null ? "none yet (" + r.state() + ")" : Integer.toString(r.exitCode()));
    item(b, "file", "job file", r.jobFile() + (r.gitCommit() == null ? "" : " @ " + abbrev(r.gitCommit())));
    List<String> twice = r.ranMoreThanOnce();
    if (!twice.isEmpty()) item(b, "ran-twice", "ran more than once", String.join("; ", twice));
    b.append("</dl>\n");
  }

  /** The attempt's message, then whose fault its end was and the reason in words. */
  private static String said(RunReport.Attempt a) {
    if (a.kind() == null || a.reason() == null) return a.message();
    String whose = a.kind() + ": " + a.reason();
    return a.message() == null ? whose : a.message() + " (" + whose + ")";
  }

  private static void item(StringBuilder b, String id, String label, String value) {
    b.append("<dt>").append(label).append("</dt><dd id=\"s-").append(id).append("\">")
        .append(html(value == null ? "-" : value)).append("</dd>\n");
  }

  private static String key(String colour, String label) {
    return "<span class=\"key\"><i style=\"background:" + colour + "\"></i>" + label + "</span>";
  }

  private static void failedTable(StringBuilder b, RunReport r) {
    b.append("<h2>Failed instances</h2>\n");
    if (r.failed() == 0) {
      b.append("<p id=\"no-failed\">None.</p>\n");
      return;
    }
    b.append("<table class=\"failed\" id=\"failed\">\n<tr><th>instance</th><th>attempts</th><th>last state</th>"
        + "<th>exit code</th><th>agent</th><th>message and last lines of stderr</th></tr>\n");
    int shown = 0;
    for (RunReport.Instance i : r.instanceList()) {
      if (!"FAILED".equals(i.state())) continue;
      if (shown++ == MAX_FAILED_ROWS) break;
      RunReport.Attempt last = i.lastAttempt();
      b.append("<tr><td>").append(i.index()).append("</td><td>").append(i.attempts().size()).append(" (")
          .append(i.failures()).append(" failed, ").append(i.losses()).append(" lost)</td>");
      if (last == null) {
        b.append("<td>never launched</td><td></td><td></td><td></td></tr>\n");
        continue;
      }
      b.append("<td>").append(html(String.valueOf(last.state())))
          .append("TIMED_OUT".equals(last.cause()) ? " (timed out)" : "").append("</td><td>")
          .append(last.exitCode() == null ? "" : last.exitCode()).append("</td><td>")
          .append(html(agentName(last))).append("</td><td><pre>");
      if (last.message() != null) b.append(html(last.message())).append('\n');
      for (String line : last.stderrTail()) b.append(html(line)).append('\n');
      b.append("</pre></td></tr>\n");
    }
    b.append("</table>\n");
    if (r.failed() > MAX_FAILED_ROWS) {
      b.append("<p>... and ").append(r.failed() - MAX_FAILED_ROWS).append(" more (see the JSON report)</p>\n");
    }
  }

  /** One attempt on the time line: its instance, its times in epoch milliseconds. */
  private record Row(int instance, RunReport.Attempt a, long start, long end) {}

  /** The columnar data the script draws. */
  private static void data(StringBuilder b, RunReport r) {
    long t0 = r.startedAt() == null ? Long.MAX_VALUE : Times.epochMillis(r.startedAt());
    long tEnd = r.endedAt() == null ? Long.MIN_VALUE : Times.epochMillis(r.endedAt());
    List<Row> rows = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, r.attempts()));
    for (RunReport.Instance i : r.instanceList()) {
      for (RunReport.Attempt a : i.attempts()) {
        long s = a.startedAt() == null ? t0 : Times.epochMillis(a.startedAt());
        long e = a.endedAt() == null ? Long.MIN_VALUE : Times.epochMillis(a.endedAt());
        rows.add(new Row(i.index(), a, s, e));
        t0 = Math.min(t0, s);
        tEnd = Math.max(tEnd, Math.max(s, e));
      }
    }
    for (RunReport.Sample s : r.utilisation()) {
      long at = Times.epochMillis(s.at());
      t0 = Math.min(t0, at);
      tEnd = Math.max(tEnd, at);
    }
    if (t0 == Long.MAX_VALUE) t0 = 0;
    if (tEnd < t0) tEnd = t0;
    long unit = Math.max(1, (tEnd - t0 + MAX_TICKS - 1) / MAX_TICKS);
    rows.sort(Comparator.comparingLong(Row::start).thenComparingInt(Row::instance));
    Map<String, Integer> agents = new HashMap<>();
    List<String> agentNames = agentOrder(rows, agents);
    StringBuilder i = new StringBuilder(), n = new StringBuilder(), g = new StringBuilder(), s = new StringBuilder(),
        d = new StringBuilder(), o = new StringBuilder(), x = new StringBuilder(), detail = new StringBuilder();
    int k = 0;
    for (Row row : rows) {
      RunReport.Attempt a = row.a();
      String agentKey = a.agentId() == null ? "?" : a.agentId();
      int agent = agents.get(agentKey);
      long end = row.end() == Long.MIN_VALUE ? tEnd : row.end();
      int outcome = outcome(a);
      String sep = k == 0 ? "" : ",";
      i.append(sep).append(row.instance());
      n.append(sep).append(a.attempt());
      g.append(sep).append(agent);
      s.append(sep).append((row.start() - t0) / unit);
      d.append(sep).append(Math.max(0, end - row.start()) / unit);
      o.append(sep).append(outcome);
      x.append(sep).append(a.exitCode() == null ? "null" : a.exitCode().toString());
      if (outcome != FINISHED) failureDetail(detail, k, a);
      k++;
    }
    b.append("{\"job\":");
    json(b, r.job());
    b.append(",\"runId\":");
    json(b, r.runId());
    b.append(",\"cpusPerTask\":").append(r.cpusPerTask() == null ? "null" : number(r.cpusPerTask()));
    b.append(",\"unit\":").append(unit).append(",\"end\":").append((tEnd - t0) / unit).append(",\"agents\":[");
    for (int a = 0; a < agentNames.size(); a++) {
      if (a > 0) b.append(',');
      json(b, agentNames.get(a));
    }
    b.append("],\n\"att\":{\"i\":[").append(i).append("],\n\"n\":[").append(n).append("],\n\"g\":[").append(g)
        .append("],\n\"s\":[").append(s).append("],\n\"d\":[").append(d).append("],\n\"o\":[").append(o)
        .append("],\n\"x\":[").append(x).append("]},\n\"detail\":{").append(detail).append("},\n");
    utilisation(b, r, t0, unit);
    b.append('}');
  }

  /**
   * The agents in the order of their names (then ids), so rows are where a reader looks for
   * them: their names, and in {@code agents} each agent id's index among them.
   */
  private static List<String> agentOrder(List<Row> rows, Map<String, Integer> agents) {
    Map<String, String> nameOf = new HashMap<>();
    for (Row row : rows) nameOf.putIfAbsent(row.a().agentId() == null ? "?" : row.a().agentId(), agentName(row.a()));
    List<String> agentKeys = new ArrayList<>(nameOf.keySet());
    agentKeys.sort(Comparator.comparing((String key) -> nameOf.get(key), HtmlReport::naturally)
        .thenComparing(Comparator.naturalOrder()));
    List<String> agentNames = new ArrayList<>();
    for (String key : agentKeys) {
      agents.put(key, agents.size());
      agentNames.add(nameOf.get(key));
    }
    return agentNames;
  }

  /** What the page shows of the k-th attempt when it did not finish: task id, state, cause, message, stderr tail. */
  private static void failureDetail(StringBuilder detail, int k, RunReport.Attempt a) {
    detail.append(detail.length() == 0 ? "" : ",").append('"').append(k).append("\":{\"id\":");
    json(detail, a.taskId());
    detail.append(",\"st\":");
    json(detail, a.state());
    detail.append(",\"c\":");
    json(detail, a.cause());
    detail.append(",\"m\":");
    json(detail, said(a));
    detail.append(",\"e\":[");
    for (int l = 0; l < a.stderrTail().size(); l++) {
      if (l > 0) detail.append(',');
      json(detail, a.stderrTail().get(l));
    }
    detail.append("]}");
  }

  private static void utilisation(StringBuilder b, RunReport r, long t0, long unit) {
    Map<String, Integer> reasons = new HashMap<>();
    List<String> reasonList = new ArrayList<>();
    StringBuilder t = new StringBuilder(), u = new StringBuilder(), f = new StringBuilder(), w = new StringBuilder(),
        why = new StringBuilder();
    int j = 0;
    for (RunReport.Sample s : r.utilisation()) {
      String sep = j++ == 0 ? "" : ",";
      t.append(sep).append((Times.epochMillis(s.at()) - t0) / unit);
      u.append(sep).append(number(s.cpusInUse()));
      f.append(sep).append(number(s.cpusOffered()));
      w.append(sep).append(s.waiting());
      int reason = -1;
      if (s.waitReason() != null) {
        reason = reasons.computeIfAbsent(s.waitReason(), key -> {
          reasonList.add(key);
          return reasonList.size() - 1;
        });
      }
      why.append(sep).append(reason);
    }
    b.append("\"util\":{\"t\":[").append(t).append("],\"u\":[").append(u).append("],\"f\":[").append(f)
        .append("],\"w\":[").append(w).append("],\"r\":[").append(why).append("]},\n\"reasons\":[");
    for (int k = 0; k < reasonList.size(); k++) {
      if (k > 0) b.append(',');
      json(b, reasonList.get(k));
    }
    b.append(']');
  }

  /** How the page colours an attempt. */
  static int outcome(RunReport.Attempt a) {
    String st = a.state();
    String cause = a.cause();
    if (st == null) return RUNNING;
    if ("FAILED".equals(cause) || "TIMED_OUT".equals(cause)) return FAILED;
    if ("LOST".equals(cause)) return LOST;
    return switch (st) {
      case "TASK_FINISHED" -> FINISHED;
      case "TASK_FAILED", "TASK_ERROR" -> FAILED;
      case "TASK_KILLED" -> KILLED;
      case "TASK_LOST", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN", "TASK_UNREACHABLE" -> LOST;
      default -> RUNNING;
    };
  }

  /** Compares names with their digit runs as numbers: node-2 before node-10. */
  static int naturally(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char x = a.charAt(i);
      char y = b.charAt(j);
      if (Character.isDigit(x) && Character.isDigit(y)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) i++;
        while (j < b.length() && Character.isDigit(b.charAt(j))) j++;
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
        if (c != 0) return c;
      } else {
        if (x != y) return Character.compare(x, y);
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static String agentName(RunReport.Attempt a) {
    if (a.hostname() != null && !a.hostname().isBlank()) return a.hostname();
    return a.agentId() == null ? "?" : a.agentId();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  private static String abbrev(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }

  /** Text for HTML element content and attribute values. */
  static String html(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int c = 0; c < s.length(); c++) {
      char ch = s.charAt(c);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }

  /**
   * A JSON string, safe inside a script element: {@code <} is escaped, so no {@code </script>} or
   * {@code <!--} can end or change the element.
   */
  static void json(StringBuilder b, String s) {
    if (s == null) {
      b.append("null");
      return;
    }
    b.append('"');
    for (int c = 0; c < s.length(); c++) {
      char ch = s.charAt(c);
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '<' -> b.append("\\u003c");
        case '\u2028' -> b.append("\\u2028");
        case '\u2029' -> b.append("\\u2029");
        default -> {
          if (ch < 0x20) {
            b.append(String.format("\\u%04x", (int) ch));
          } else {
            b.append(ch);
          }
        }
      }
    }
    b.append('"');
  }

  private static String resource(String name) {
    try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("the runner jar lacks " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
