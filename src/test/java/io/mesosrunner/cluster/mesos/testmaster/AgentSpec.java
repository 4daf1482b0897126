package io.mesosrunner.cluster.mesos.testmaster;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a fake agent offers. An empty {@code id} lets the master assign {@code <master-id>-S<n>}.
 *
 * <p>GPUs follow the real allocator: an agent with {@code gpus > 0} is offered only to frameworks
 * that declare the {@code GPU_RESOURCES} capability.
 *
 * @param id         agent id value, or "" to have one assigned
 * @param hostname   hostname in offers (also the host of the agent's URL)
 * @param cpus       cpus, &gt; 0
 * @param mem        memory in MiB, &ge; 0
 * @param disk       disk in MiB, &ge; 0
 * @param gpus       whole GPUs, &ge; 0 (omitted from offers when 0)
 * @param ports      port ranges (inclusive), may be empty
 * @param attributes TEXT attributes put on every offer
 */
public record AgentSpec(String id, String hostname, double cpus, double mem, double disk, double gpus,
                        List<PortRange> ports, Map<String, String> attributes) {

    /** An inclusive port range. */
    public record PortRange(long begin, long end) {
        public PortRange {
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException("port range [" + begin + "-" + end + "] is invalid");
            }
        }
    }

    public AgentSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(hostname, "hostname");
        if (!(cpus > 0)) {
            throw new IllegalArgumentException("cpus (" + cpus + ") must be positive");
        }
        if (mem < 0 || disk < 0 || gpus < 0) {
            throw new IllegalArgumentException("mem (" + mem + "), disk (" + disk + ") and gpus (" + gpus
                    + ") must not be negative");
        }
        ports = List.copyOf(ports);
        attributes = Map.copyOf(new LinkedHashMap<>(attributes));
    }

    /** The agent of the recordings: cpus 2, mem 23081, disk 252899, ports [31000-32000], id assigned. */
    public static AgentSpec standard() {
        return new AgentSpec("", "127.0.0.1", 2, 23081, 252899, 0, List.of(new PortRange(31000, 32000)), Map.of());
    }

    public AgentSpec withId(String newId) {
        return new AgentSpec(newId, hostname, cpus, mem, disk, gpus, ports, attributes);
    }

    public AgentSpec withHostname(String newHostname) {
        return new AgentSpec(id, newHostname, cpus, mem, disk, gpus, ports, attributes);
    }

    public AgentSpec withResources(double newCpus, double newMem, double newDisk) {
        return new AgentSpec(id, hostname, newCpus, newMem, newDisk, gpus, ports, attributes);
    }

    public AgentSpec withGpus(double newGpus) {
        return new AgentSpec(id, hostname, cpus, mem, disk, newGpus, ports, attributes);
    }

    public AgentSpec withPorts(PortRange... ranges) {
        return new AgentSpec(id, hostname, cpus, mem, disk, gpus, List.of(ranges), attributes);
    }

    public AgentSpec withAttributes(Map<String, String> newAttributes) {
        return new AgentSpec(id, hostname, cpus, mem, disk, gpus, ports, newAttributes);
    }
}
