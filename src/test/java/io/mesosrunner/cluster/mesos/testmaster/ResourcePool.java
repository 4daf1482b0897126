package io.mesosrunner.cluster.mesos.testmaster;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;

/**
 * Unreserved resources of one agent (or of one offer) as scalars in thousandths (the master's
 * fixed-point precision) and port-like ranges. Keeps the agent's resource order
 * (ports, cpus, mem, disk, gpus) so texts and offers look like the real master's.
 * Not thread-safe; the {@link TestMaster} lock guards every pool.
 */
final class ResourcePool {
    private final Map<String, Long> scalars = new LinkedHashMap<>();
    private final Map<String, List<long[]>> ranges = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    static ResourcePool of(AgentSpec spec) {
        ResourcePool pool = new ResourcePool();
        if (!spec.ports().isEmpty()) {
            pool.order.add("ports");
            List<long[]> list = new ArrayList<>();
            spec.ports().forEach(r -> list.add(new long[] {r.begin(), r.end()}));
            pool.ranges.put("ports", normalise(list));
        }
        pool.putScalar("cpus", spec.cpus());
        pool.putScalar("mem", spec.mem());
        pool.putScalar("disk", spec.disk());
        if (spec.gpus() > 0) {
            pool.putScalar("gpus", spec.gpus());
        }
        return pool;
    }

    private void putScalar(String name, double value) {
        order.add(name);
        scalars.put(name, milli(value));
    }

    /** An empty pool with the same resource names and order. */
    ResourcePool emptyLike() {
        ResourcePool pool = new ResourcePool();
        pool.order.addAll(order);
        scalars.keySet().forEach(k -> pool.scalars.put(k, 0L));
        ranges.keySet().forEach(k -> pool.ranges.put(k, new ArrayList<>()));
        return pool;
    }

    ResourcePool copy() {
        ResourcePool pool = emptyLike();
        pool.addPool(this);
        return pool;
    }

    boolean isEmpty() {
        return scalars.values().stream().allMatch(v -> v <= 0) && ranges.values().stream().allMatch(List::isEmpty);
    }

    /** Worth offering: the allocator's minimum is 0.01 cpus or 32 MiB of memory. */
    boolean allocatable() {
        return scalars.getOrDefault("cpus", 0L) >= 10 || scalars.getOrDefault("mem", 0L) >= 32_000;
    }

    boolean hasGpus() {
        return scalars.getOrDefault("gpus", 0L) > 0;
    }

    void addPool(ResourcePool other) {
        other.scalars.forEach((k, v) -> scalars.merge(k, v, Long::sum));
        other.ranges.forEach((k, v) -> {
            List<long[]> merged = new ArrayList<>(ranges.getOrDefault(k, List.of()));
            v.forEach(r -> merged.add(r.clone()));
            ranges.put(k, normalise(merged));
        });
    }

    /** Moves everything out of this pool into a new one (this pool becomes empty). */
    ResourcePool takeAll() {
        ResourcePool taken = copy();
        scalars.replaceAll((k, v) -> 0L);
        ranges.replaceAll((k, v) -> new ArrayList<>());
        return taken;
    }

    /** Whether every resource of {@code other} is also in this pool (the allocator's {@code contains}). */
    boolean containsPool(ResourcePool other) {
        for (Map.Entry<String, Long> e : other.scalars.entrySet()) {
            if (e.getValue() > 0 && e.getValue() > scalars.getOrDefault(e.getKey(), 0L)) {
                return false;
            }
        }
        for (Map.Entry<String, List<long[]>> e : other.ranges.entrySet()) {
            List<long[]> have = ranges.getOrDefault(e.getKey(), List.of());
            for (long[] r : e.getValue()) {
                if (have.stream().noneMatch(h -> h[0] <= r[0] && r[1] <= h[1])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code wanted} (already checked for role and type) fits in this pool. */
    boolean contains(List<Resource> wanted) {
        ResourcePool trial = copy();
        return trial.subtract(wanted);
    }

    /** Subtracts {@code wanted} if it fits, answering whether it did; leaves the pool unchanged if not. */
    boolean subtract(List<Resource> wanted) {
        ResourcePool trial = copyRaw();
        for (Resource r : wanted) {
            if (r.getType() == Value.Type.SCALAR) {
                Long have = trial.scalars.get(r.getName());
                long want = milli(r.getScalar().getValue());
                if (have == null || want <= 0 || want > have) {
                    return false;
                }
                trial.scalars.put(r.getName(), have - want);
            } else if (r.getType() == Value.Type.RANGES) {
                List<long[]> have = trial.ranges.get(r.getName());
                if (have == null) {
                    return false;
                }
                for (Value.Range range : r.getRanges().getRangeList()) {
                    if (!removeRange(have, range.getBegin(), range.getEnd())) {
                        return false;
                    }
                }
            } else {
                return false;
            }
        }
        scalars.putAll(trial.scalars);
        ranges.putAll(trial.ranges);
        return true;
    }

    /** Adds resources (e.g. a task's, coming back) to the pool. */
    void addResources(List<Resource> resources) {
        for (Resource r : resources) {
            if (r.getType() == Value.Type.SCALAR) {
                scalars.merge(r.getName(), milli(r.getScalar().getValue()), Long::sum);
            } else if (r.getType() == Value.Type.RANGES) {
                List<long[]> list = new ArrayList<>(ranges.getOrDefault(r.getName(), List.of()));
                r.getRanges().getRangeList().forEach(x -> list.add(new long[] {x.getBegin(), x.getEnd()}));
                ranges.put(r.getName(), normalise(list));
            }
        }
    }

    private ResourcePool copyRaw() {
        ResourcePool pool = new ResourcePool();
        pool.order.addAll(order);
        pool.scalars.putAll(scalars);
        ranges.forEach((k, v) -> pool.ranges.put(k, new ArrayList<>(v.stream().map(long[]::clone).toList())));
        return pool;
    }

    /** The pool as offer resources: deprecated role "*" and allocation_info on each, as 1.12 sends. */
    List<Resource> toProto(String allocationRole) {
        List<Resource> out = new ArrayList<>();
        for (String name : order) {
            Resource.Builder b = Resource.newBuilder().setName(name).setRole("*")
                    .setAllocationInfo(Resource.AllocationInfo.newBuilder().setRole(allocationRole));
            if (ranges.containsKey(name)) {
                List<long[]> list = ranges.get(name);
                if (list.isEmpty()) {
                    continue;
                }
                Value.Ranges.Builder rb = Value.Ranges.newBuilder();
                list.forEach(r -> rb.addRange(Value.Range.newBuilder().setBegin(r[0]).setEnd(r[1])));
                out.add(b.setType(Value.Type.RANGES).setRanges(rb).build());
            } else {
                long v = scalars.get(name);
                if (v <= 0) {
                    continue;
                }
                out.add(b.setType(Value.Type.SCALAR).setScalar(Value.Scalar.newBuilder().setValue(v / 1000.0)).build());
            }
        }
        return out;
    }

    /** The master's text form, e.g. {@code ports(allocated: *):[31000-32000]; cpus(allocated: *):2}. */
    String format(String allocationRole) {
        return format(toProto(allocationRole));
    }

    static String format(List<Resource> resources) {
        return resources.stream().map(ResourcePool::format).collect(Collectors.joining("; "));
    }

    static String format(Resource r) {
        String role = r.hasAllocationInfo() ? "(allocated: " + r.getAllocationInfo().getRole() + ")" : "";
        String value;
        if (r.getType() == Value.Type.SCALAR) {
            value = number(r.getScalar().getValue());
        } else if (r.getType() == Value.Type.RANGES) {
            value = r.getRanges().getRangeList().stream().map(x -> x.getBegin() + "-" + x.getEnd())
                    .collect(Collectors.joining(", ", "[", "]"));
        } else {
            value = r.getSet().getItemList().stream().collect(Collectors.joining(", ", "{", "}"));
        }
        return r.getName() + role + ":" + value;
    }

    static String number(double value) {
        return BigDecimal.valueOf(milli(value), 3).stripTrailingZeros().toPlainString();
    }

    static long milli(double value) {
        return Math.round(value * 1000.0);
    }

    private static boolean removeRange(List<long[]> have, long begin, long end) {
        if (end < begin) {
            return false;
        }
        for (int i = 0; i < have.size(); i++) {
            long[] r = have.get(i);
            if (r[0] <= begin && end <= r[1]) {
                have.remove(i);
                if (end < r[1]) {
                    have.add(i, new long[] {end + 1, r[1]});
                }
                if (r[0] < begin) {
                    have.add(i, new long[] {r[0], begin - 1});
                }
                return true;
            }
        }
        return false;
    }

    private static List<long[]> normalise(List<long[]> list) {
        List<long[]> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparingLong(r -> r[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1)[1] + 1 >= r[0]) {
                long[] last = out.get(out.size() - 1);
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }
}
