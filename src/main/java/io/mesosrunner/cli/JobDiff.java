package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Says which fields of a job changed, for a refusal to resume a run of a changed file. */
final class JobDiff {
  private JobDiff() {}

  /** Lines like {@code instances: 3 -> 5}; empty when the jobs are equal. */
  static List<String> changes(Job before, Job after) {
    List<String> out = new ArrayList<>();
    for (RecordComponent c : Job.class.getRecordComponents()) {
      try {
        Object a = c.getAccessor().invoke(before);
        Object b = c.getAccessor().invoke(after);
        if (!Objects.equals(a, b)) out.add(c.getName() + ": " + show(a) + " -> " + show(b));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read Job." + c.getName(), e);
      }
    }
    return out;
  }

  private static String show(Object v) {
    if (v == null) return "(not set)";
    String s = v instanceof io.mesosrunner.job.Command cmd ? "'" + cmd.display() + "'" : v.toString();
    s = s.replaceAll("\\p{Cntrl}", " ");
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
