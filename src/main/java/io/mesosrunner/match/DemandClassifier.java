package io.mesosrunner.match;

import io.mesosrunner.job.Constraint;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Finds a demand's class without hashing records: a demand like the one before it (the
 * instances of one job usually come together) joins that class at once; otherwise an
 * open-addressing table keyed by the role, the constraint set and the exact bits of the
 * resources and port count finds it, or a new class is made.
 */
final class DemandClassifier {
  private final Problem p;
  int[] table = new int[64];
  int mask = table.length - 1;
  int[] hashes = new int[16];
  int[] size = new int[16];
  List<Constraint> lastConstraints;
  int lastGroup = -1;
  Demand prev;
  int prevClass = -1;

  DemandClassifier(Problem p) {
    this.p = p;
    Arrays.fill(table, -1);
  }

  void classify(int from, int to) {
    for (int d = from; d < to; d++) p.classOf[d] = classOf(d);
  }

  int classOf(int d) {
    Demand dm = Objects.requireNonNull(p.demands[d], "demand");
    List<Constraint> cs = dm.constraints();
    Demand before = prev;
    prev = dm;
    if (before != null && dm.resources() == before.resources() && cs == before.constraints()
        && dm.ports() == before.ports() && dm.role().equals(before.role())) {
      size[prevClass]++;
      return prevClass;
    }
    if (cs != lastConstraints) {
      lastConstraints = cs;
      lastGroup = p.groupIds.computeIfAbsent(cs, x -> {
        p.groups.add(x);
        return p.groups.size() - 1;
      });
    }
    int group = lastGroup;
    Resources r = dm.resources();
    // raw bits: Resources admits no NaN, so equal bits are exactly equal records' doubles
    long cpus = Double.doubleToRawLongBits(r.cpus());
    long mem = Double.doubleToRawLongBits(r.memMb());
    long disk = Double.doubleToRawLongBits(r.diskMb());
    long gpus = Double.doubleToRawLongBits(r.gpus());
    String role = dm.role();
    // fields rotated apart (round numbers differ only in their top bits), folded, then mixed
    long h = (role.hashCode() * 31L + group) ^ ((long) dm.ports() << 32) ^ Long.rotateLeft(cpus, 12)
        ^ Long.rotateLeft(mem, 24) ^ Long.rotateLeft(disk, 36) ^ Long.rotateLeft(gpus, 48);
    h ^= h >>> 32;
    int hash = (int) ((h * 0x9E3779B97F4A7C15L) >>> 32); // Fibonacci hashing: top half mixes all of h
    int slot = hash & mask;
    int c;
    while ((c = table[slot]) >= 0) {
      DemandClass k = p.classes.get(c);
      if (k.group == group && k.ports == dm.ports() && k.roleName.equals(role)
          && (k.resources == r || Double.doubleToRawLongBits(k.cpus) == cpus
              && Double.doubleToRawLongBits(k.mem) == mem && Double.doubleToRawLongBits(k.disk) == disk
              && Double.doubleToRawLongBits(k.gpus) == gpus)) {
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (c < 0) c = add(dm, group, hash, slot, d);
    size[c]++;
    prevClass = c;
    return c;
  }

  private int add(Demand dm, int group, int hash, int slot, int d) {
    Integer roleId = p.roleIds.get(dm.role());
    int c = p.classes.size();
    p.classes.add(new DemandClass(dm.role(), roleId == null ? -1 : roleId, group, dm.resources(), dm.ports(), d));
    table[slot] = c;
    if (c == size.length) {
      size = Arrays.copyOf(size, 2 * c);
      hashes = Arrays.copyOf(hashes, 2 * c);
    }
    hashes[c] = hash;
    if (2 * (c + 1) > table.length) {
      table = new int[2 * table.length];
      Arrays.fill(table, -1);
      mask = table.length - 1;
      for (int j = 0; j <= c; j++) {
        int at = hashes[j] & mask;
        while (table[at] >= 0) at = (at + 1) & mask;
        table[at] = j;
      }
    }
    return c;
  }
}
