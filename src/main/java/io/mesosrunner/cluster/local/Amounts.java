package io.mesosrunner.cluster.local;

import io.mesosrunner.match.PortRange;
import io.mesosrunner.match.Resources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Scalar resources in thousandths, the fixed-point precision Mesos uses, so that sums and
 * differences of many small tasks never drift. All values &ge; 0.
 */
record Amounts(long cpus, long mem, long disk, long gpus) {

  static final Amounts ZERO = new Amounts(0, 0, 0, 0);

  /** Mesos' default minimum an agent must have free before it is offered: 0.01 cpus or 32 MiB. */
  private static final long MIN_CPUS = 10;
  private static final long MIN_MEM = 32_000;

  Amounts {
    if (cpus < 0 || mem < 0 || disk < 0 || gpus < 0) {
      throw new IllegalArgumentException("negative amounts: " + this);
    }
  }

  static Amounts of(Resources r) {
    return new Amounts(milli(r.cpus()), milli(r.memMb()), milli(r.diskMb()), milli(r.gpus()));
  }

  static long milli(double v) {
    return Math.round(v * 1000);
  }

  Resources toResources() {
    return new Resources(cpus / 1000.0, mem / 1000.0, disk / 1000.0, gpus / 1000.0);
  }

  Amounts plus(Amounts o) {
    return new Amounts(cpus + o.cpus, mem + o.mem, disk + o.disk, gpus + o.gpus);
  }

  /** This minus {@code o}, never below zero. */
  Amounts minus(Amounts o) {
    return new Amounts(
        Math.max(0, cpus - o.cpus),
        Math.max(0, mem - o.mem),
        Math.max(0, disk - o.disk),
        Math.max(0, gpus - o.gpus));
  }

  boolean covers(Amounts o) {
    return o.cpus <= cpus && o.mem <= mem && o.disk <= disk && o.gpus <= gpus;
  }

  /** Whether this is worth offering, by the Mesos default minimum. */
  boolean allocatable() {
    return cpus >= MIN_CPUS || mem >= MIN_MEM;
  }

  /** {@code 300 MiB}, {@code 1.5 MiB}: at most one decimal. */
  static String mib(double mib) {
    double rounded = Math.round(mib * 10) / 10.0;
    return (rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded)) + " MiB";
  }

  /** {@code cpus:1.5; mem:1024; disk:0; gpus:0}, in the Mesos style. */
  String describe() {
    return "cpus:" + fmt(cpus) + "; mem:" + fmt(mem) + "; disk:" + fmt(disk) + "; gpus:" + fmt(gpus);
  }

  private static String fmt(long thousandths) {
    if (thousandths % 1000 == 0) {
      return Long.toString(thousandths / 1000);
    }
    return Double.toString(thousandths / 1000.0);
  }

  /** The set ports as ranges, in order. */
  static List<PortRange> ranges(BitSet ports) {
    List<PortRange> out = new ArrayList<>();
    int begin = ports.nextSetBit(0);
    while (begin >= 0) {
      int end = ports.nextClearBit(begin) - 1;
      out.add(new PortRange(begin, end));
      begin = ports.nextSetBit(end + 1);
    }
    return out;
  }

  /** {@code [31000-31010, 31020-32000]}. */
  static String describe(BitSet ports) {
    StringBuilder sb = new StringBuilder("[");
    for (PortRange r : ranges(ports)) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(r.begin()).append('-').append(r.end());
    }
    return sb.append(']').toString();
  }
}
