package io.mesosrunner.cluster.mesos.testmaster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

import org.apache.mesos.v1.Protos.ContainerID;
import org.apache.mesos.v1.Protos.ContainerStatus;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;

/** A launched task, its script state and its executor's update queue. Guarded by the master's lock. */
final class MasterTask {
    final Framework fw;
    final TaskInfo info;
    final FakeAgent agent;
    final TaskBehaviour behaviour;
    final List<Resource> resources;
    final String containerId;
    final int pid;
    final Deque<TaskStatus> queue = new ArrayDeque<>();
    TaskState state = TaskState.TASK_STAGING;
    boolean terminal;
    boolean killRequested;
    boolean unreachable;
    boolean gone;
    TimeInfo unreachableTime;
    TaskStatus lastSent;
    ScheduledFuture<?> retry;
    /** When the head update is resent next if still unacknowledged (doubles with each resend). */
    java.time.Duration retryBackoff;

    MasterTask(Framework fw, TaskInfo info, FakeAgent agent, TaskBehaviour behaviour, List<Resource> resources,
            String containerId, int pid) {
        this.fw = fw;
        this.info = info;
        this.agent = agent;
        this.behaviour = behaviour;
        this.resources = List.copyOf(resources);
        this.containerId = containerId;
        this.pid = pid;
    }

    String id() {
        return info.getTaskId().getValue();
    }

    ContainerStatus containerStatus() {
        return ContainerStatus.newBuilder().setContainerId(ContainerID.newBuilder().setValue(containerId))
                .setExecutorPid(pid)
                .addNetworkInfos(NetworkInfo.newBuilder().addIpAddresses(
                        NetworkInfo.IPAddress.newBuilder().setIpAddress("127.0.0.1")))
                .build();
    }
}
