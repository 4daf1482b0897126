package io.mesosrunner.cluster.local;

import java.io.IOException;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local cluster's part in the {@link MachineLedger}: what it may offer of what the other runners
 * on this machine do not hold, what it holds itself (what its tasks were given and what it has
 * offered), and why it waits when the others hold what one of its tasks needs ("local cpus held by
 * runner pid 4242 (job etl)"), said once per reason. When the ledger cannot be used (a read-only
 * directory), the cluster goes on alone, as before, and says so once in its log.
 *
 * <p>Called on the local cluster's loop thread only, except {@link #onNotice}.
 */
final class MachineShare {

  private static final Logger LOG = LoggerFactory.getLogger(MachineShare.class);

  private final MachineLedger ledger;
  private final Amounts machine;
  private final Amounts perTask;
  private volatile Consumer<String> notices = line -> { };
  private String lastNotice;
  private boolean broken;
  /** What the ledger last recorded as this cluster's, and when (System.nanoTime). */
  private Amounts recorded = Amounts.ZERO;
  private BitSet recordedPorts = new BitSet();
  private long recordedAt;

  /** How long what was recorded stands for offer passes that need no more than it: a ledger exchange is file I/O. */
  static final long KEEP_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250);

  /** What may be offered now; {@code amounts} null when nothing is. */
  record Offer(Amounts amounts, BitSet ports, boolean waitingForOthers) {}

  /**
   * @param machine what the whole machine has (the cpus and memory every runner shares)
   * @param perTask what one task of the job asks, to tell when the others are in its way
   */
  MachineShare(MachineLedger ledger, Amounts machine, Amounts perTask) {
    this.ledger = ledger;
    this.machine = machine;
    this.perTask = perTask;
  }

  /** Where the reasons for waiting go (a line each, for the user). */
  void onNotice(Consumer<String> sink) {
    notices = sink;
  }

  /**
   * What to offer of {@code localFree}: no more than the others leave of the machine, after what
   * this cluster {@code held} already; recorded in the ledger as held, with the offer if
   * {@code worth} it.
   */
  Offer offer(Amounts held, BitSet heldPorts, Amounts localFree, BitSet localFreePorts,
      BiPredicate<Amounts, BitSet> worth) {
    BitSet wanted = (BitSet) heldPorts.clone();
    wanted.or(localFreePorts);
    Amounts all = held.plus(localFree);
    if (broken || (System.nanoTime() - recordedAt < KEEP_NANOS && recorded.cpus() >= all.cpus()
        && recorded.mem() >= all.mem() && RefuseFilters.containsAll(recordedPorts, wanted))) {
      // Alone, or all of it was recorded as this cluster's a moment ago: the others need not be asked.
      return new Offer(worth.test(localFree, localFreePorts) ? localFree : null, localFreePorts, false);
    }
    try {
      return ledger.exchange(others -> {
        Amounts left = machine.minus(sum(others, a -> a.cpus(), a -> a.mem())).minus(held);
        Amounts free = new Amounts(Math.min(localFree.cpus(), left.cpus()), Math.min(localFree.mem(), left.mem()),
            localFree.disk(), localFree.gpus());
        BitSet ports = (BitSet) localFreePorts.clone();
        others.forEach(o -> ports.andNot(o.ports()));
        boolean waiting = fits(localFree) && !fits(free) && !others.isEmpty();
        notice(waiting ? why(others, free) : null);
        boolean offered = worth.test(free, ports);
        BitSet holding = (BitSet) heldPorts.clone();
        if (offered) holding.or(ports);
        recorded(offered ? held.plus(free) : held, holding);
        return new MachineLedger.Claim<>(recorded, holding, new Offer(offered ? free : null, ports, waiting));
      });
    } catch (IOException | RuntimeException e) {
      giveUp(e);
      return new Offer(worth.test(localFree, localFreePorts) ? localFree : null, localFreePorts, false);
    }
  }

  /** Records that this cluster now holds {@code held} and {@code heldPorts}. */
  void hold(Amounts held, BitSet heldPorts) {
    if (broken) return;
    try {
      recorded(held, heldPorts);
      ledger.exchange(others -> new MachineLedger.Claim<Void>(held, heldPorts, null));
    } catch (IOException | RuntimeException e) {
      giveUp(e);
    }
  }

  /** This cluster holds nothing any more. */
  void release() {
    hold(Amounts.ZERO, new BitSet());
  }

  /** Whether the ledger records more for this cluster than {@code held}: then it should be told soon. */
  boolean recordsMoreThan(Amounts held) {
    return !broken && (recorded.cpus() > held.cpus() || recorded.mem() > held.mem());
  }

  private void recorded(Amounts amounts, BitSet ports) {
    recorded = amounts;
    recordedPorts = (BitSet) ports.clone();
    recordedAt = System.nanoTime();
  }

  private boolean fits(Amounts free) {
    return free.cpus() >= perTask.cpus() && free.mem() >= perTask.mem();
  }

  /** {@code local cpus held by runner pid 4242 (job etl)}, naming the one that holds the most. */
  private String why(List<MachineLedger.Holding> others, Amounts free) {
    boolean cpus = free.cpus() < perTask.cpus();
    ToLongFunction<MachineLedger.Holding> amount = cpus ? h -> h.amounts().cpus() : h -> h.amounts().mem();
    MachineLedger.Holding most = others.stream().max(Comparator.comparingLong(amount)).orElseThrow();
    long holders = others.stream().filter(h -> amount.applyAsLong(h) > 0).count();
    return "runner: local " + (cpus ? "cpus" : "memory") + " held by runner pid " + most.pid() + " (job " + most.job()
        + ")" + (holders > 1 ? " and " + (holders - 1) + " more" : "") + "; waiting for them to be free";
  }

  private void notice(String line) {
    if (line != null && !line.equals(lastNotice)) notices.accept(line);
    lastNotice = line;
  }

  private static Amounts sum(List<MachineLedger.Holding> others, ToLongFunction<Amounts> cpus,
      ToLongFunction<Amounts> mem) {
    long c = 0;
    long m = 0;
    for (MachineLedger.Holding h : others) {
      c += cpus.applyAsLong(h.amounts());
      m += mem.applyAsLong(h.amounts());
    }
    return new Amounts(c, m, 0, 0);
  }

  private void giveUp(Exception e) {
    broken = true;
    LOG.warn("local cluster: cannot use the machine's ledger of local resources ({}); going on without it", e.toString());
  }
}
