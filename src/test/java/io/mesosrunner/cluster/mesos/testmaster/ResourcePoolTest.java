package io.mesosrunner.cluster.mesos.testmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Value;
import org.junit.jupiter.api.Test;

class ResourcePoolTest {
    private static final AgentSpec AGENT = new AgentSpec("a", "127.0.0.1", 2, 1024, 0, 0,
            List.of(new AgentSpec.PortRange(31000, 31010)), Map.of());

    private static Resource ports(long begin, long end) {
        return Resource.newBuilder().setName("ports").setType(Value.Type.RANGES)
                .setRanges(Value.Ranges.newBuilder().addRange(Value.Range.newBuilder().setBegin(begin).setEnd(end))).build();
    }

    private static Resource cpus(double v) {
        return Resource.newBuilder().setName("cpus").setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v)).build();
    }

    @Test
    void portRangesMustBeASubsetAndAreSplitWhenTaken() {
        ResourcePool pool = ResourcePool.of(AGENT);
        assertThat(pool.subtract(List.of(ports(31009, 31011)))).isFalse();
        assertThat(pool.subtract(List.of(ports(31003, 31004)))).isTrue();
        assertThat(pool.format("*")).startsWith("ports(allocated: *):[31000-31002, 31005-31010]");
        assertThat(pool.contains(List.of(ports(31004, 31004)))).isFalse();
        pool.addResources(List.of(ports(31003, 31004)));
        assertThat(pool.format("*")).startsWith("ports(allocated: *):[31000-31010]");
    }

    @Test
    void scalarsUseThousandthsSoRepeatedTenthsAddUpExactly() {
        ResourcePool pool = ResourcePool.of(AGENT);
        for (int i = 0; i < 20; i++) {
            assertThat(pool.subtract(List.of(cpus(0.1)))).isTrue();
        }
        assertThat(pool.subtract(List.of(cpus(0.001)))).isFalse();
        assertThat(pool.format("*")).doesNotContain("cpus");
    }

    @Test
    void unknownResourceNamesDoNotFit() {
        Resource gpus = cpus(1).toBuilder().setName("gpus").build();
        assertThat(ResourcePool.of(AGENT).contains(List.of(gpus))).isFalse();
    }

    @Test
    void aPoolContainsAnotherOnlyWhenEveryScalarAndRangeOfItFits() {
        ResourcePool all = ResourcePool.of(AGENT);
        ResourcePool less = ResourcePool.of(AGENT);
        assertThat(less.subtract(List.of(cpus(1), ports(31003, 31004)))).isTrue();
        assertThat(all.containsPool(less)).isTrue();
        assertThat(less.containsPool(all)).isFalse();
        ResourcePool moreCpus = less.copy();
        moreCpus.addResources(List.of(cpus(1)));
        assertThat(less.containsPool(moreCpus)).isFalse();
        ResourcePool otherPorts = less.copy();
        otherPorts.addResources(List.of(ports(31003, 31003)));
        assertThat(less.containsPool(otherPorts)).isFalse();
    }
}
