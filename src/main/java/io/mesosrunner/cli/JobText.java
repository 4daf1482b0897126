package io.mesosrunner.cli;

import io.mesosrunner.job.Job;
import java.util.Locale;

/** Short human descriptions of a job. */
final class JobText {
  private JobText() {}

  static String describe(Job job) {
    return String.format(Locale.ROOT, "%s: %d instance%s of '%s', %s cpus, %s MiB each", job.name(), job.instances(),
        job.instances() == 1 ? "" : "s", job.command().display(), num(job.cpus()), num(job.memMb()));
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
