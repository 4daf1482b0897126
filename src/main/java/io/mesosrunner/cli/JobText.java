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
