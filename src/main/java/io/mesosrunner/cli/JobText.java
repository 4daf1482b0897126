package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import java.util.Locale;

/** Short human descriptions of a job. */
final class JobText {
  private JobText() {}

  static String describe(Job job) {
    return String.format(Locale.ROOT, "%s: %d instance%s of '%s', %s cpus, %s MiB each", job.name(), job.instances(),
        job.instances() == 1 ? "" : "s", shortCommand(job), num(job.cpus()), num(job.memMb()));
  }

  /** A job as {@link #describe(Job)}; a pipeline as its steps in dependency order with their instances. */
  static String describe(io.mesosrunner.job.Pipeline pipeline) {
    if (pipeline.single()) return describe(pipeline.summary());
    StringBuilder b = new StringBuilder(pipeline.name()).append(": pipeline of ").append(pipeline.steps().size())
        .append(" steps, ").append(pipeline.instances()).append(" instances (");
    String sep = "";
    for (io.mesosrunner.job.Step s : pipeline.steps()) {
      b.append(sep).append(s.name()).append(' ').append(s.size());
      if (!s.needs().isEmpty()) b.append(" after ").append(String.join("+", s.needs()));
      sep = ", ";
    }
    return b.append(')').toString();
  }

  /** The command's first line, at most 60 characters. */
  static String shortCommand(Job job) {
    String text = job.command().display().strip();
    int nl = text.indexOf('\n');
    String first = (nl < 0 ? text : text.substring(0, nl) + " ...").replaceAll("\\p{Cntrl}", "?");
    return first.length() <= 60 ? first : first.substring(0, 57) + "...";
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
