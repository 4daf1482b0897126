package io.mesosrunner.match;

/**
 * Scalar resources: cpus, memory and disk in MiB, whole GPUs. Immutable; all values &ge; 0.
 */
public record Resources(double cpus, double memMb, double diskMb, double gpus) {

  public static final Resources NONE = new Resources(0, 0, 0, 0);

  public Resources {
    check("cpus", cpus);
    check("mem", memMb);
    check("disk", diskMb);
    check("gpus", gpus);
  }

  private static void check(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " (" + value + ") must be a finite number >= 0");
    }
  }

  public Resources plus(Resources o) {
    return new Resources(cpus + o.cpus, memMb + o.memMb, diskMb + o.diskMb, gpus + o.gpus);
  }

  /** This minus {@code o}, never below zero (rounding noise is clamped). */
  public Resources minus(Resources o) {
    return new Resources(
        Math.max(0, cpus - o.cpus),
        Math.max(0, memMb - o.memMb),
        Math.max(0, diskMb - o.diskMb),
        Math.max(0, gpus - o.gpus));
  }

  /** Whether {@code o} fits in this, with a tolerance for floating point noise. */
  public boolean covers(Resources o) {
    return o.cpus <= cpus + EPSILON
        && o.memMb <= memMb + EPSILON
        && o.diskMb <= diskMb + EPSILON
        && o.gpus <= gpus + EPSILON;
  }

  /** Mesos scalars have three decimal digits of precision. */
  public static final double EPSILON = 1e-6;
}
