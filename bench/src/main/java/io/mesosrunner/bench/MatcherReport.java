package io.mesosrunner.bench;

import java.util.Locale;

/**
 * Packing quality (and a wall-clock time) of one contender on one size, one line of tab-separated
 * values: {@code who size millis placed offersUsed cpusLeftOnUsed memGibLeftOnUsed}. Used for
 * packing tables and for Fenzo at sizes too slow for repeated JMH runs.
 *
 * <p>Usage: {@code MatcherReport ours|fenzo|bare INSTANCESxOFFERS [warmups]}
 */
public final class MatcherReport {

  private MatcherReport() {}

  public static void main(String[] args) {
    if (args.length < 2) throw new IllegalArgumentException("usage: MatcherReport ours|fenzo|bare INSTANCESxOFFERS [warmups]");
    String who = args[0];
    Workload w = Workload.parse(args[1]);
    int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    for (int i = 0; i < warmups; i++) run(who, w);
    long t0 = System.nanoTime();
    int[] assignment = run(who, w);
    long nanos = System.nanoTime() - t0;
    Packing p = Packing.of(who, w, assignment);
    System.out.printf(Locale.ROOT, "%s\t%s\t%.1f\t%d\t%d\t%.1f\t%.1f\t%.3f\t%.3f%n", who, args[1], nanos / 1e6, p.placed(),
        p.offersUsed(), p.cpusLeftOnUsed(), p.memGibLeftOnUsed(), w.cpuLoad(), w.memLoad());
  }

  static int[] run(String who, Workload w) {
    return switch (who) {
      case "ours" -> Ours.assignment(w, Ours.match(w));
      case "fenzo" -> FenzoPeer.assignment(w, FenzoPeer.schedule(FenzoPeer.input(w)));
      case "bare" -> BareFfd.place(w.offerCpus, w.offerMem, w.demandCpus, w.demandMem);
      default -> throw new IllegalArgumentException("contender (" + who + ") must be ours, fenzo or bare");
    };
  }
}
