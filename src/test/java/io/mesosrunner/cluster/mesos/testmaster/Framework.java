package io.mesosrunner.cluster.mesos.testmaster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.mesos.v1.Protos.FrameworkInfo;

/** A framework the master knows, connected or not. Guarded by the master's lock. */
final class Framework {
    final String id;
    FrameworkInfo info = FrameworkInfo.getDefaultInstance();
    EventStream stream;
    boolean suppressed;
    /** Live refuse filters per agent id. */
    final Map<String, List<RefuseFilter>> refuseFilters = new HashMap<>();
    final Map<String, MasterTask> tasks = new LinkedHashMap<>();

    Framework(String id) {
        this.id = id;
    }

    boolean has(FrameworkInfo.Capability.Type type) {
        return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
    }

    boolean partitionAware() {
        return has(FrameworkInfo.Capability.Type.PARTITION_AWARE);
    }

    boolean killingState() {
        return has(FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    }

    boolean multiRole() {
        return has(FrameworkInfo.Capability.Type.MULTI_ROLE);
    }

    boolean gpuResources() {
        return has(FrameworkInfo.Capability.Type.GPU_RESOURCES);
    }

    String role() {
        if (info.getRolesCount() > 0) {
            return info.getRoles(0);
        }
        return info.hasRole() ? info.getRole() : "*";
    }

    void addFilter(String agentId, RefuseFilter filter) {
        refuseFilters.computeIfAbsent(agentId, k -> new ArrayList<>()).add(filter);
    }
}
