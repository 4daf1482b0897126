package io.mesosrunner.bench;

import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.mesos.Protos;

/**
 * The peer: Netflix Fenzo's {@link TaskScheduler} with the cpu+mem bin packer, given the same
 * offers (as {@link VirtualMachineLease}s, one per host) and demands (as {@link TaskRequest}s) as
 * our matcher. A fresh scheduler per call, as our matcher is stateless.
 */
public final class FenzoPeer {

  private FenzoPeer() {}

  /** Fenzo's inputs for one call; build them outside the timed part. */
  public record Input(List<TaskRequest> tasks, List<VirtualMachineLease> leases) {}

  public static Input input(Workload w) {
    List<TaskRequest> tasks = new ArrayList<>(w.instanceCount);
    for (int i = 0; i < w.instanceCount; i++) tasks.add(new Task(Integer.toString(i), w.demandCpus[i], w.demandMem[i]));
    long now = System.currentTimeMillis();
    List<VirtualMachineLease> leases = new ArrayList<>(w.offerCount);
    for (int i = 0; i < w.offerCount; i++) leases.add(new Lease(i, w.offerCpus[i], w.offerMem[i], now));
    return new Input(tasks, leases);
  }

  /** Runs one {@code scheduleOnce}. */
  public static SchedulingResult schedule(Input in) {
    TaskScheduler scheduler = new TaskScheduler.Builder()
        .withLeaseOfferExpirySecs(1_000_000)
        .withLeaseRejectAction(lease -> { })
        .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
        .build();
    try {
      return scheduler.scheduleOnce(in.tasks(), in.leases());
    } finally {
      scheduler.shutdown();
    }
  }

  /** Per demand, the offer index Fenzo chose, or -1. */
  public static int[] assignment(Workload w, SchedulingResult result) {
    if (!result.getExceptions().isEmpty()) {
      throw new IllegalStateException("Fenzo failed: " + result.getExceptions());
    }
    int[] out = new int[w.instanceCount];
    Arrays.fill(out, -1);
    for (Map.Entry<String, VMAssignmentResult> e : result.getResultMap().entrySet()) {
      int offer = Integer.parseInt(e.getKey().substring("host-".length()));
      for (TaskAssignmentResult t : e.getValue().getTasksAssigned()) out[Integer.parseInt(t.getTaskId())] = offer;
    }
    return out;
  }

  static final class Task implements TaskRequest {
    private final String id;
    private final double cpus;
    private final double mem;
    private AssignedResources assigned;

    Task(String id, double cpus, double mem) {
      this.id = id;
      this.cpus = cpus;
      this.mem = mem;
    }

    @Override public String getId() { return id; }
    @Override public String taskGroupName() { return "bench"; }
    @Override public double getCPUs() { return cpus; }
    @Override public double getMemory() { return mem; }
    @Override public double getNetworkMbps() { return 0; }
    @Override public double getDisk() { return 0; }
    @Override public int getPorts() { return 0; }
    @Override public Map<String, Double> getScalarRequests() { return Collections.emptyMap(); }
    @Override public Map<String, NamedResourceSetRequest> getCustomNamedResources() { return Collections.emptyMap(); }
    @Override public List<? extends ConstraintEvaluator> getHardConstraints() { return Collections.emptyList(); }
    @Override public List<? extends VMTaskFitnessCalculator> getSoftConstraints() { return Collections.emptyList(); }
    @Override public void setAssignedResources(AssignedResources r) { this.assigned = r; }
    @Override public AssignedResources getAssignedResources() { return assigned; }
  }

  static final class Lease implements VirtualMachineLease {
    private final String id;
    private final String host;
    private final String agent;
    private final double cpus;
    private final double mem;
    private final long offeredAt;
    private final Protos.Offer offer;

    Lease(int i, double cpus, double mem, long offeredAt) {
      this.id = "offer-" + i;
      this.host = "host-" + i;
      this.agent = "agent-" + i;
      this.cpus = cpus;
      this.mem = mem;
      this.offeredAt = offeredAt;
      this.offer = Protos.Offer.newBuilder()
          .setId(Protos.OfferID.newBuilder().setValue(id))
          .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("bench"))
          .setSlaveId(Protos.SlaveID.newBuilder().setValue(agent))
          .setHostname(host)
          .build();
    }

    @Override public String getId() { return id; }
    @Override public long getOfferedTime() { return offeredAt; }
    @Override public String hostname() { return host; }
    @Override public String getVMID() { return agent; }
    @Override public double cpuCores() { return cpus; }
    @Override public double memoryMB() { return mem; }
    @Override public double networkMbps() { return 0; }
    @Override public double diskMB() { return 0; }
    @Override public List<Range> portRanges() { return Collections.emptyList(); }
    @Override public Protos.Offer getOffer() { return offer; }
    @Override public Map<String, Protos.Attribute> getAttributeMap() { return Collections.emptyMap(); }
    @Override public Double getScalarValue(String name) { return null; }
    @Override public Map<String, Double> getScalarValues() { return Collections.emptyMap(); }
  }
}
