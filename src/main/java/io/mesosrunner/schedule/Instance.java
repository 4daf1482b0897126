package io.mesosrunner.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * Mutable state of one instance. Kept small: a million-instance job holds a million of these.
 * Most instances have one attempt, so the first is a field and a list exists only for retries.
 * Its {@link #state} is changed only through {@link AttemptTable#move}, which keeps the counts.
 */
final class Instance {
  final int index;
  InstanceState state = InstanceState.PENDING;
  int failures;
  int losses;
  int attemptCount;
  private Attempt first;
  private List<Attempt> more;

  Instance(int index) {
    this.index = index;
  }

  void add(Attempt a) {
    if (first == null) {
      first = a;
    } else {
      if (more == null) more = new ArrayList<>(2);
      more.add(a);
    }
  }

  /** Every attempt, oldest first. */
  List<Attempt> attempts() {
    if (first == null) return List.of();
    if (more == null) return List.of(first);
    List<Attempt> all = new ArrayList<>(more.size() + 1);
    all.add(first);
    all.addAll(more);
    return all;
  }

  Attempt last() {
    return more == null ? first : more.get(more.size() - 1);
  }

  Attempt attempt(int number) {
    if (first != null && first.number == number) return first;
    if (more != null) {
      for (Attempt a : more) {
        if (a.number == number) return a;
      }
    }
    return null;
  }

  /** The attempt that counts for this instance now: not ended and not a duplicate being killed. */
  Attempt activeAttempt() {
    for (Attempt a : attempts()) {
      if (!a.terminal && a.killReason != KillReason.DUPLICATE) return a;
    }
    return null;
  }
}
