package io.mesosrunner.cluster.local;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The local master's refuse filters, as a Mesos master keeps them: resources declined (or left
 * unused by a launch) with a refuse duration are not offered again before it passes. When a filter
 * holds an offer back, a new offer pass is asked for when it expires.
 *
 * <p>Threading: used on the local cluster's loop only.
 */
final class RefuseFilters {

  /** A refuse filter: resources that are a subset of these are not offered before {@code until}. */
  private record Filter(Amounts amounts, BitSet ports, Instant until) {

    /** Whether this filter holds back everything {@code other} does, for at least as long. */
    boolean implies(Filter other) {
      return amounts.covers(other.amounts) && containsAll(ports, other.ports)
          && !until.isBefore(other.until);
    }
  }

  private final Clock clock;
  private final LocalLoop loop;
  private final Runnable offerPass;
  private final List<Filter> filters = new ArrayList<>();
  private ScheduledFuture<?> recheck;
  private Instant recheckAt;

  /** @param offerPass asks for an offer pass; run on the loop when a filter that held one back expires */
  RefuseFilters(Clock clock, LocalLoop loop, Runnable offerPass) {
    this.clock = clock;
    this.loop = loop;
    this.offerPass = offerPass;
  }

  /** Refuses {@code amounts} and {@code ports} for {@code refuse} from now. */
  void add(Amounts amounts, BitSet ports, Duration refuse) {
    if (refuse.isZero() || refuse.isNegative() || (amounts.equals(Amounts.ZERO) && ports.isEmpty())) {
      return;
    }
    Instant until;
    try {
      until = clock.instant().plus(refuse);
    } catch (ArithmeticException | DateTimeException e) {
      until = Instant.MAX;
    }
    Filter added = new Filter(amounts, (BitSet) ports.clone(), until);
    // A filter that another one holds back at least as much for at least as long adds nothing:
    // dropping those keeps the list short when every launch leaves a filter behind.
    for (Filter f : filters) {
      if (f.implies(added)) {
        return;
      }
    }
    filters.removeIf(added::implies);
    filters.add(added);
  }

  /** Forgets every filter (a revive). */
  void clear() {
    filters.clear();
  }

  /** Whether a filter holds back an offer of {@code free} and {@code freePorts}; if so, an offer pass follows its end. */
  boolean holdBack(Amounts free, BitSet freePorts) {
    Instant now = clock.instant();
    filters.removeIf(f -> !now.isBefore(f.until));
    for (Filter f : filters) {
      if (f.amounts.covers(free) && containsAll(f.ports, freePorts)) {
        recheckAt(f.until, now);
        return true;
      }
    }
    return false;
  }

  private void recheckAt(Instant until, Instant now) {
    if (recheck != null && !recheck.isDone() && !recheckAt.isAfter(until)) {
      return;
    }
    if (recheck != null) {
      recheck.cancel(false);
    }
    long delay = Math.max(1, Duration.between(now, until).toNanos());
    recheckAt = until;
    recheck = loop.schedule(offerPass, delay);
  }

  static boolean containsAll(BitSet big, BitSet small) {
    for (int i = small.nextSetBit(0); i >= 0; i = small.nextSetBit(big.nextClearBit(i))) {
      if (!big.get(i)) {
        return false;
      }
    }
    return true;
  }
}
