package io.mesosrunner.report;

import io.mesosrunner.job.Pipeline;
import io.mesosrunner.job.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps section of a pipeline's report, from its instances: how far each step got, and for
 * one that never started while a step it needs failed (or was skipped), why it was skipped. Works
 * the same from a live run and from a journal (whose recorded job text gives the pipeline).
 */
public final class ReportSteps {

  private ReportSteps() {}

  /**
   * @param outputsRoot where a step's outputs are collected ({@code <root>/<step>/<instance>/}), or null
   * @return empty for a single job
   */
  public static List<RunReport.Step> of(Pipeline pipeline, List<RunReport.Instance> instances, String outputsRoot) {
    if (pipeline.single()) return List.of();
    List<RunReport.Step> out = new ArrayList<>();
    Map<String, RunReport.Step> byName = new HashMap<>();
    for (Step step : pipeline.steps()) {
      int completed = 0;
      int failed = 0;
      int launched = 0;
      int active = 0;
      for (int i = step.first(); i < step.first() + step.size() && i < instances.size(); i++) {
        RunReport.Instance instance = instances.get(i);
        if ("DONE".equals(instance.state())) completed++;
        if ("FAILED".equals(instance.state())) failed++;
        if ("ACTIVE".equals(instance.state())) active++;
        if (!instance.attempts().isEmpty()) launched++;
      }
      String reason = null;
      String state;
      if (completed == step.size()) {
        state = "SUCCEEDED";
      } else if (failed > 0) {
        state = "FAILED";
      } else if (launched == 0 && (reason = skipReason(step, byName)) != null) {
        state = "SKIPPED";
      } else if (active > 0) {
        state = "RUNNING";
      } else if (instances.stream().skip(step.first()).limit(step.size()).allMatch(i -> "ABANDONED".equals(i.state()))) {
        state = "NOT_RUN";
      } else {
        state = "WAITING";
      }
      RunReport.Step s = new RunReport.Step(step.name(), step.needs(), step.first(), step.size(), completed, failed, state,
          reason, step.outputs(), step.outputs().isEmpty() || outputsRoot == null ? null : outputsRoot + "/" + step.name());
      out.add(s);
      byName.put(step.name(), s);
    }
    return out;
  }

  private static String skipReason(Step step, Map<String, RunReport.Step> earlier) {
    for (String need : step.needs()) {
      RunReport.Step n = earlier.get(need);
      if (n == null) continue;
      if ("FAILED".equals(n.state())) return "needs " + need + ", which failed";
      if ("SKIPPED".equals(n.state())) return "needs " + need + ", which was skipped";
    }
    return null;
  }
}
