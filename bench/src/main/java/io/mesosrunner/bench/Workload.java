package io.mesosrunner.bench;

import io.mesosrunner.match.Demand;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A deterministic matching problem: {@code instances} pending instances drawn from
 * {@value #SHAPES} task shapes, on {@code offers} heterogeneous offers (cpus 1-32, mem 1-128 GiB),
 * all of role {@code *}, no ports, no constraints. The same input is handed to every contender,
 * as records (our matcher), as Fenzo objects and as primitive arrays (the bare loop).
 */
public final class Workload {

  /** Number of distinct task shapes. */
  public static final int SHAPES = 20;
  /** The seed used unless told otherwise. */
  public static final long SEED = 20251125L;

  private static final double[] SHAPE_CPUS = {0.1, 0.25, 0.5, 1, 2, 4};
  private static final double[] SHAPE_MEM_MB = {128, 256, 512, 1024, 2048, 4096, 8192, 16384};

  public final int instanceCount;
  public final int offerCount;
  public final List<Offer> offers;
  public final List<Demand> demands;
  /** Offer cpus / mem (MB), by offer index. */
  public final double[] offerCpus;
  public final double[] offerMem;
  /** Demand cpus / mem (MB), by demand index. */
  public final double[] demandCpus;
  public final double[] demandMem;

  private Workload(int instances, int offerCount, long seed) {
    this.instanceCount = instances;
    this.offerCount = offerCount;
    SplittableRandom random = new SplittableRandom(seed);
    double[] shapeCpus = new double[SHAPES];
    double[] shapeMem = new double[SHAPES];
    for (int s = 0; s < SHAPES; s++) {
      shapeCpus[s] = SHAPE_CPUS[random.nextInt(SHAPE_CPUS.length)];
      shapeMem[s] = SHAPE_MEM_MB[random.nextInt(SHAPE_MEM_MB.length)];
    }
    offerCpus = new double[offerCount];
    offerMem = new double[offerCount];
    List<Offer> os = new ArrayList<>(offerCount);
    for (int i = 0; i < offerCount; i++) {
      offerCpus[i] = 1 + random.nextInt(32);
      offerMem[i] = 1024.0 * (1 + random.nextInt(128));
      os.add(new Offer("offer-" + i, "agent-" + i, "host-" + i, "*",
          new Resources(offerCpus[i], offerMem[i], 0, 0), List.of(), Map.of()));
    }
    demandCpus = new double[instances];
    demandMem = new double[instances];
    List<Demand> ds = new ArrayList<>(instances);
    for (int i = 0; i < instances; i++) {
      int s = random.nextInt(SHAPES);
      demandCpus[i] = shapeCpus[s];
      demandMem[i] = shapeMem[s];
      ds.add(new Demand(Integer.toString(i), "*", new Resources(shapeCpus[s], shapeMem[s], 0, 0), 0, List.of()));
    }
    this.offers = List.copyOf(os);
    this.demands = List.copyOf(ds);
  }

  /** The workload of {@code instances} instances on {@code offers} offers, from {@link #SEED}. */
  public static Workload of(int instances, int offers) {
    return new Workload(instances, offers, SEED);
  }

  /** Parses {@code "100000x10000"} (instances x offers). */
  public static Workload parse(String size) {
    String[] parts = size.split("x");
    if (parts.length != 2) throw new IllegalArgumentException("size (" + size + ") must be INSTANCESxOFFERS");
    return of(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  /** Sum of demanded cpus over offered cpus: above 1, not everything can fit. */
  public double cpuLoad() {
    return sum(demandCpus) / sum(offerCpus);
  }

  /** Sum of demanded mem over offered mem. */
  public double memLoad() {
    return sum(demandMem) / sum(offerMem);
  }

  private static double sum(double[] xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s;
  }
}
