package io.mesosrunner.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.IntFunction;

/** The one-screen summary printed at the end of a run. */
public final class TextSummary {

  /** How many failed instances are listed in detail; the rest are counted. */
  static final int MAX_FAILED_SHOWN = 10;

  private TextSummary() {}

  /**
   * Renders the summary.
   *
   * @param r          the report
   * @param stderrTail the last lines of stderr of an instance's latest attempt (by index), or an empty list
   */
  public static String render(RunReport r, IntFunction<List<String>> stderrTail) {
    StringBuilder b = new StringBuilder();
    // The state as every command words it; a failure in capitals, as it should catch the eye.
    String verdict = r.state() == null ? "ended" : r.state().equals("failed") ? "FAILED" : r.state();
    b.append(r.job()).append(": ").append(verdict);
    if (r.reason() != null && !"SUCCEEDED".equals(r.outcome())) b.append(": ").append(r.reason());
    b.append('\n');
    long lost = r.instanceList().stream().mapToLong(RunReport.Instance::losses).sum();
    long failures = r.instanceList().stream().mapToLong(RunReport.Instance::failures).sum();
    b.append(String.format(Locale.ROOT, "  instances: %d of %d completed, %d failed%n", r.completed(), r.instances(), r.failed()));
    b.append(String.format(Locale.ROOT, "  attempts:  %d (%d failed, %d lost to the cluster)%n", r.attempts(), failures, lost));
    b.append(String.format(Locale.ROOT, "  wall time: %s%n", seconds(r.wallSeconds())));
    b.append("  cluster:   ").append(r.cluster()).append('\n');
    b.append("  run id:    ").append(r.runId()).append('\n');
    if (!r.steps().isEmpty()) {
      b.append("  steps:    ");
      String sep = " ";
      for (RunReport.Step s : r.steps()) {
        b.append(sep).append(s.name()).append(' ').append(s.completed()).append('/').append(s.instances());
        if (!"SUCCEEDED".equals(s.state())) b.append(' ').append(s.state().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (s.reason() != null) b.append(" (").append(s.reason()).append(')');
        sep = ", ";
      }
      b.append('\n');
    }
    endsByKind(r, b);
    for (String line : r.ranMoreThanOnce()) b.append("  ").append(line).append('\n');
    int shown = 0;
    int notShown = 0;
    for (RunReport.Instance i : r.instanceList()) {
      if (!"FAILED".equals(i.state())) continue;
      if (shown == MAX_FAILED_SHOWN) {
        notShown++;
        continue;
      }
      shown++;
      RunReport.Attempt last = i.attempts().isEmpty() ? null : i.attempts().get(i.attempts().size() - 1);
      b.append("  instance ").append(r.label(i.index())).append(" failed after ").append(i.attempts().size())
          .append(i.attempts().size() == 1 ? " attempt" : " attempts")
          .append(" (").append(i.failures()).append(" failed, ").append(i.losses()).append(" lost)");
      if (last != null) {
        b.append(": ").append(last.state());
        if (last.exitCode() != null) b.append(", exit code ").append(last.exitCode());
        if ("TIMED_OUT".equals(last.cause())) b.append(", timed out");
        if (last.sandbox() != null) b.append("\n    sandbox: ").append(last.sandbox());
      }
      b.append('\n');
      for (String line : stderrTail.apply(i.index())) b.append("    stderr| ").append(line).append('\n');
    }
    if (notShown > 0) b.append("  ... and ").append(notShown).append(" more failed instances (see --report)\n");
    return b.toString();
  }

  /**
   * The attempts that ended otherwise than by finishing, counted by kind and reason: "  lost to the
   * cluster: 5 x the executor did not register with the agent in time (...)". At most
   * {@link #MAX_FAILED_SHOWN} lines.
   */
  private static void endsByKind(RunReport r, StringBuilder b) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RunReport.Instance i : r.instanceList()) {
      for (RunReport.Attempt a : i.attempts()) {
        if (a.kind() == null || a.kind().equals("stopped") || a.kind().equals("duplicate")) continue;
        String why = a.reason() != null ? a.reason()
            : "TIMED_OUT".equals(a.cause()) ? "timed out"
            : a.exitCode() != null ? "exit code " + a.exitCode()
            : a.state() == null ? "no state" : a.state();
        counts.merge(a.kind() + ": " + why, 1, Integer::sum);
      }
    }
    int shown = 0;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (shown++ == MAX_FAILED_SHOWN) {
        b.append("  ... and ").append(counts.size() - MAX_FAILED_SHOWN).append(" more kinds of end (see --report)\n");
        break;
      }
      String text = e.getKey();
      int colon = text.indexOf(": ");
      b.append("  ").append(text, 0, colon + 2).append(e.getValue()).append(" x ").append(text.substring(colon + 2))
          .append('\n');
    }
  }

  static String seconds(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1fs", s);
    long whole = (long) s;
    return String.format(Locale.ROOT, "%dm%02ds", whole / 60, whole % 60);
  }
}
