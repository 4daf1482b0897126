package io.mesosrunner.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline part of the HTML report, drawn on the server side as inline SVG (no script): the
 * steps as a dependency graph coloured by outcome, one lane per step with its attempts over
 * time, the skipped steps named with the reason, and where each step's outputs were collected.
 */
final class PipelineSvg {

  private static final int NODE_W = 150;
  private static final int NODE_H = 40;
  private static final int GAP_X = 60;
  private static final int GAP_Y = 20;
  private static final int LANE_H = 22;
  private static final int LANE_W = 800;
  private static final int LABEL_W = 120;

  private PipelineSvg() {}

  static void append(StringBuilder b, RunReport r) {
    if (r.steps().isEmpty()) return;
    b.append("<h2>Pipeline: steps in dependency order, coloured by outcome</h2>\n");
    graph(b, r.steps());
    b.append("<h2>Steps over time: one lane per step, one bar per attempt</h2>\n");
    lanes(b, r);
    b.append("<ul class=\"steps\">\n");
    for (RunReport.Step s : r.steps()) {
      b.append("<li>").append(HtmlReport.html(s.name())).append(": ").append(s.completed()).append(" of ")
          .append(s.instances()).append(" completed, ").append(s.state().toLowerCase(Locale.ROOT).replace('_', ' '));
      if (s.reason() != null) b.append(" (").append(HtmlReport.html(s.reason())).append(')');
      if (s.outputDir() != null) {
        b.append("; outputs ").append(HtmlReport.html(String.join(", ", s.outputs()))).append(" in <a href=\"file://")
            .append(HtmlReport.html(s.outputDir())).append("\">").append(HtmlReport.html(s.outputDir())).append("</a>");
      }
      b.append("</li>\n");
    }
    b.append("</ul>\n");
  }

  static String colour(String state) {
    return switch (state) {
      case "SUCCEEDED" -> "#2ca02c";
      case "FAILED" -> "#d62728";
      case "SKIPPED", "NOT_RUN" -> "#bbbbbb";
      case "RUNNING" -> "#1f77b4";
      default -> "#eeeeee";
    };
  }

  /** Columns by depth (a step sits right of every step it needs), rows in dependency order. */
  private static void graph(StringBuilder b, List<RunReport.Step> steps) {
    Map<String, Integer> depth = new HashMap<>();
    Map<Integer, Integer> rows = new HashMap<>();
    Map<String, int[]> at = new HashMap<>();
    int width = 0;
    int height = 0;
    for (RunReport.Step s : steps) {
      int d = 0;
      for (String n : s.needs()) d = Math.max(d, depth.getOrDefault(n, 0) + 1);
      depth.put(s.name(), d);
      int row = rows.merge(d, 1, Integer::sum) - 1;
      int x = 10 + d * (NODE_W + GAP_X);
      int y = 10 + row * (NODE_H + GAP_Y);
      at.put(s.name(), new int[] {x, y});
      width = Math.max(width, x + NODE_W + 10);
      height = Math.max(height, y + NODE_H + 10);
    }
    b.append("<svg class=\"pipeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
        .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"steps and their needs\">\n");
    for (RunReport.Step s : steps) {
      int[] to = at.get(s.name());
      for (String n : s.needs()) {
        int[] from = at.get(n);
        if (from == null) continue;
        b.append("<line x1=\"").append(from[0] + NODE_W).append("\" y1=\"").append(from[1] + NODE_H / 2)
            .append("\" x2=\"").append(to[0]).append("\" y2=\"").append(to[1] + NODE_H / 2)
            .append("\" stroke=\"#555\" stroke-width=\"1.5\"/>\n");
      }
    }
    for (RunReport.Step s : steps) {
      int[] p = at.get(s.name());
      b.append("<g class=\"step\" data-state=\"").append(s.state()).append("\"><title>")
          .append(HtmlReport.html(s.name() + ": " + s.state() + (s.reason() == null ? "" : " (" + s.reason() + ")")))
          .append("</title><rect x=\"").append(p[0]).append("\" y=\"").append(p[1]).append("\" width=\"").append(NODE_W)
          .append("\" height=\"").append(NODE_H).append("\" rx=\"6\" fill=\"").append(colour(s.state()))
          .append("\" stroke=\"#333\"/><text x=\"").append(p[0] + 8).append("\" y=\"").append(p[1] + 25)
          .append("\" font-size=\"13\">").append(HtmlReport.html(s.name())).append(' ').append(s.completed())
          .append('/').append(s.instances()).append("</text></g>\n");
    }
    b.append("</svg>\n");
  }

  private static void lanes(StringBuilder b, RunReport r) {
    long t0 = Long.MAX_VALUE;
    long t1 = Long.MIN_VALUE;
    for (RunReport.Instance i : r.instanceList()) {
      for (RunReport.Attempt a : i.attempts()) {
        if (a.startedAt() != null) t0 = Math.min(t0, Times.epochMillis(a.startedAt()));
        if (a.endedAt() != null) t1 = Math.max(t1, Times.epochMillis(a.endedAt()));
      }
    }
    if (t0 == Long.MAX_VALUE) t0 = 0;
    if (t1 <= t0) t1 = t0 + 1;
    double scale = (double) LANE_W / (t1 - t0);
    List<RunReport.Step> steps = r.steps();
    b.append("<svg class=\"lanes\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LABEL_W + LANE_W + 10)
        .append("\" height=\"").append(steps.size() * LANE_H + 4).append("\">\n");
    for (int s = 0; s < steps.size(); s++) {
      RunReport.Step step = steps.get(s);
      int y = s * LANE_H + 2;
      b.append("<text x=\"2\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(HtmlReport.html(step.name()))
          .append(step.reason() == null ? "" : " (skipped)").append("</text>\n");
      List<String> bars = new ArrayList<>();
      for (int i = step.first(); i < step.first() + step.instances() && i < r.instanceList().size(); i++) {
        for (RunReport.Attempt a : r.instanceList().get(i).attempts()) {
          if (a.startedAt() == null) continue;
          long start = Times.epochMillis(a.startedAt());
          long end = a.endedAt() == null ? t1 : Times.epochMillis(a.endedAt());
          String fill = "TASK_FINISHED".equals(a.state()) ? "#2ca02c" : a.endedAt() == null ? "#1f77b4" : "#d62728";
          bars.add(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\""
              + " fill-opacity=\"0.6\"><title>%s</title></rect>", LABEL_W + (start - t0) * scale, y + 3,
              Math.max(1.0, (end - start) * scale), LANE_H - 6, fill, HtmlReport.html(a.taskId())));
        }
      }
      for (String bar : bars) b.append(bar).append('\n');
    }
    b.append("</svg>\n");
  }
}
