package io.mesosrunner.cluster.mesos;

import com.google.protobuf.ByteString;
import io.mesosrunner.job.Command;
import io.mesosrunner.job.FetchUri;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * Builds the scheduler {@link Call}s the adapter sends. Stateless; every method is a pure
 * function of its arguments.
 */
final class Calls {

  static {
    ProtobufSetup.ensure();
  }

  private static final List<String> ARCHIVE_SUFFIXES = List.of(
      ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".zip", ".gz", ".bz2", ".xz");

  private Calls() {}

  /** SUBSCRIBE, with the framework id set in the call and the FrameworkInfo when resubscribing. */
  static Call subscribe(MesosConfig config, String frameworkId) {
    Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder()
        .setUser(config.user())
        .setName(config.frameworkName())
        .addRoles(config.role())
        .setCheckpoint(config.checkpoint())
        .setFailoverTimeout(config.failoverTimeout().toMillis() / 1000.0)
        .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE));
    if (config.partitionAware()) {
      info.addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE));
    }
    if (config.principal() != null) {
      info.setPrincipal(config.principal());
    }
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    if (frameworkId != null) {
      info.setId(fid(frameworkId));
      call.setFrameworkId(fid(frameworkId));
    }
    return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private static Protos.FrameworkInfo.Capability capability(Protos.FrameworkInfo.Capability.Type type) {
    return Protos.FrameworkInfo.Capability.newBuilder().setType(type).build();
  }

  /**
   * ACCEPT of one offer with one LAUNCH holding every task; what is left of the offer is refused
   * for {@code refuse}.
   *
   * @throws IllegalArgumentException when a placement asks for more than the offer holds
   */
  static Call accept(String frameworkId, Protos.Offer offer, List<TaskSpec> tasks, Duration refuse) {
    ResourcePool pool = new ResourcePool(offer);
    Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
    for (TaskSpec task : tasks) {
      launch.addTaskInfos(taskInfo(task, offer, pool));
    }
    return base(frameworkId, Call.Type.ACCEPT)
        .setAccept(Call.Accept.newBuilder()
            .addOfferIds(offer.getId())
            .addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH)
                .setLaunch(launch))
            .setFilters(filters(refuse)))
        .build();
  }

  /** One TaskInfo, built only from the task's placement and spec, taking resources from {@code pool}. */
  static Protos.TaskInfo taskInfo(TaskSpec task, Protos.Offer offer, ResourcePool pool) {
    Placement placement = task.placement();
    if (!placement.offer().id().equals(offer.getId().getValue())) {
      throw new IllegalArgumentException("task " + task.taskId() + " is placed on offer " + placement.offer().id()
          + ", not on " + offer.getId().getValue());
    }
    Job job = task.job();
    Resources res = placement.resources();
    Protos.TaskInfo.Builder info = Protos.TaskInfo.newBuilder()
        .setName(task.taskId())
        .setTaskId(Protos.TaskID.newBuilder().setValue(task.taskId()))
        .setAgentId(offer.getAgentId());
    info.addAllResources(pool.take("cpus", res.cpus(), task.taskId()));
    info.addAllResources(pool.take("mem", res.memMb(), task.taskId()));
    info.addAllResources(pool.take("disk", res.diskMb(), task.taskId()));
    info.addAllResources(pool.take("gpus", res.gpus(), task.taskId()));
    info.addAllResources(pool.takePorts(placement.ports(), task.taskId()));
    info.setCommand(command(job, task.env()));
    if (job.container() != null) {
      info.setContainer(Protos.ContainerInfo.newBuilder()
          .setType(Protos.ContainerInfo.Type.MESOS)
          .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder()
              .setImage(Protos.Image.newBuilder()
                  .setType(Protos.Image.Type.DOCKER)
                  .setDocker(Protos.Image.Docker.newBuilder().setName(job.container().image())))));
    }
    if (!task.labels().isEmpty()) {
      Protos.Labels.Builder labels = Protos.Labels.newBuilder();
      new TreeMap<>(task.labels()).forEach((k, v) -> labels.addLabels(Protos.Label.newBuilder().setKey(k).setValue(v)));
      info.setLabels(labels);
    }
    return info.build();
  }

  static Protos.CommandInfo command(Job job, Map<String, String> env) {
    Command cmd = job.command();
    Protos.CommandInfo.Builder b = Protos.CommandInfo.newBuilder();
    if (cmd.isShell()) {
      b.setShell(true).setValue(cmd.shell());
    } else {
      b.setShell(false).setValue(cmd.argv().get(0)).addAllArguments(cmd.argv());
    }
    if (!env.isEmpty()) {
      Protos.Environment.Builder e = Protos.Environment.newBuilder();
      new TreeMap<>(env).forEach((k, v) -> e.addVariables(Protos.Environment.Variable.newBuilder().setName(k).setValue(v)));
      b.setEnvironment(e);
    }
    if (job.user() != null) {
      b.setUser(job.user());
    }
    for (FetchUri uri : job.uris()) {
      // The fetcher extracts only what it recognises as an archive; extract: false keeps even those as they are.
      b.addUris(Protos.CommandInfo.URI.newBuilder().setValue(uri.value())
          .setExecutable(uri.executable()).setExtract(uri.extract() && isArchive(uri.value())));
    }
    return b.build();
  }

  static boolean isArchive(String uri) {
    String path = uri;
    int cut = path.indexOf('?');
    if (cut >= 0) {
      path = path.substring(0, cut);
    }
    String lower = path.toLowerCase(Locale.ROOT);
    return ARCHIVE_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  static Call decline(String frameworkId, List<String> offerIds, Duration refuse) {
    Call.Decline.Builder d = Call.Decline.newBuilder().setFilters(filters(refuse));
    offerIds.forEach(id -> d.addOfferIds(Protos.OfferID.newBuilder().setValue(id)));
    return base(frameworkId, Call.Type.DECLINE).setDecline(d).build();
  }

  static Call declineInverseOffers(String frameworkId, List<Protos.OfferID> ids) {
    return base(frameworkId, Call.Type.DECLINE_INVERSE_OFFERS)
        .setDeclineInverseOffers(Call.DeclineInverseOffers.newBuilder().addAllInverseOfferIds(ids))
        .build();
  }

  static Call kill(String frameworkId, String taskId, String agentId) {
    Call.Kill.Builder k = Call.Kill.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue(taskId));
    if (agentId != null) {
      k.setAgentId(Protos.AgentID.newBuilder().setValue(agentId));
    }
    return base(frameworkId, Call.Type.KILL).setKill(k).build();
  }

  /** @throws IllegalArgumentException when {@code uuidBase64} is not base64 */
  static Call acknowledge(String frameworkId, Action.Acknowledge ack) {
    return base(frameworkId, Call.Type.ACKNOWLEDGE)
        .setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue(ack.agentId()))
            .setTaskId(Protos.TaskID.newBuilder().setValue(ack.taskId()))
            .setUuid(ByteString.copyFrom(Base64.getDecoder().decode(ack.uuid()))))
        .build();
  }

  static Call acknowledgeOperationStatus(String frameworkId, Protos.OperationStatus status) {
    Call.AcknowledgeOperationStatus.Builder a = Call.AcknowledgeOperationStatus.newBuilder()
        .setUuid(status.getUuid().getValue())
        .setOperationId(status.getOperationId());
    if (status.hasAgentId()) {
      a.setAgentId(status.getAgentId());
    }
    if (status.hasResourceProviderId()) {
      a.setResourceProviderId(status.getResourceProviderId());
    }
    return base(frameworkId, Call.Type.ACKNOWLEDGE_OPERATION_STATUS).setAcknowledgeOperationStatus(a).build();
  }

  static Call reconcile(String frameworkId, List<Action.TaskRef> tasks) {
    Call.Reconcile.Builder r = Call.Reconcile.newBuilder();
    for (Action.TaskRef t : tasks) {
      Call.Reconcile.Task.Builder tb = Call.Reconcile.Task.newBuilder()
          .setTaskId(Protos.TaskID.newBuilder().setValue(t.taskId()));
      if (t.agentId() != null) {
        tb.setAgentId(Protos.AgentID.newBuilder().setValue(t.agentId()));
      }
      r.addTasks(tb);
    }
    return base(frameworkId, Call.Type.RECONCILE).setReconcile(r).build();
  }

  static Call suppress(String frameworkId, String role) {
    return base(frameworkId, Call.Type.SUPPRESS).setSuppress(Call.Suppress.newBuilder().addRoles(role)).build();
  }

  static Call revive(String frameworkId, String role) {
    return base(frameworkId, Call.Type.REVIVE).setRevive(Call.Revive.newBuilder().addRoles(role)).build();
  }

  static Call teardown(String frameworkId) {
    return base(frameworkId, Call.Type.TEARDOWN).build();
  }

  private static Call.Builder base(String frameworkId, Call.Type type) {
    return Call.newBuilder().setFrameworkId(fid(frameworkId)).setType(type);
  }

  private static Protos.FrameworkID fid(String id) {
    return Protos.FrameworkID.newBuilder().setValue(id).build();
  }

  static Protos.Filters filters(Duration refuse) {
    double seconds = refuse == null || refuse.isNegative() ? 5.0 : refuse.toMillis() / 1000.0;
    return Protos.Filters.newBuilder().setRefuseSeconds(seconds).build();
  }

  /**
   * What is left of one offer while the TaskInfos of one ACCEPT are built: each usable offer
   * resource, its remaining amount in thousandths (Mesos keeps three decimals), and the ports
   * still free. Resources reserved for the role are used before unreserved ones.
   */
  static final class ResourcePool {
    private final List<Protos.Resource> resources = new ArrayList<>();
    private final long[] milli;
    private final List<List<long[]>> freePorts = new ArrayList<>();

    ResourcePool(Protos.Offer offer) {
      List<Protos.Resource> reserved = new ArrayList<>();
      List<Protos.Resource> unreserved = new ArrayList<>();
      for (Protos.Resource r : offer.getResourcesList()) {
        if (OfferTranslator.usable(offer, r)) {
          (OfferTranslator.reservationRole(r).equals("*") ? unreserved : reserved).add(r);
        }
      }
      resources.addAll(reserved);
      resources.addAll(unreserved);
      milli = new long[resources.size()];
      for (int i = 0; i < resources.size(); i++) {
        Protos.Resource r = resources.get(i);
        milli[i] = r.getType() == Protos.Value.Type.SCALAR ? Math.round(r.getScalar().getValue() * 1000) : 0;
        List<long[]> ranges = new ArrayList<>();
        if (r.getType() == Protos.Value.Type.RANGES) {
          r.getRanges().getRangeList().forEach(x -> ranges.add(new long[] {x.getBegin(), x.getEnd()}));
        }
        freePorts.add(ranges);
      }
    }

    /** Copies of offer resources named {@code name} summing to {@code amount}. */
    List<Protos.Resource> take(String name, double amount, String taskId) {
      long want = Math.round(amount * 1000);
      List<Protos.Resource> out = new ArrayList<>();
      if (want <= 0) {
        return out;
      }
      long left = want;
      for (int i = 0; i < resources.size() && left > 0; i++) {
        Protos.Resource r = resources.get(i);
        if (!r.getName().equals(name) || r.getType() != Protos.Value.Type.SCALAR || milli[i] <= 0) {
          continue;
        }
        long part = Math.min(left, milli[i]);
        milli[i] -= part;
        left -= part;
        out.add(r.toBuilder().setScalar(Protos.Value.Scalar.newBuilder().setValue(part / 1000.0)).build());
      }
      if (left > 0) {
        throw new IllegalArgumentException("task " + taskId + " needs " + name + " " + amount
            + " but the offer has only " + (want - left) / 1000.0 + " left");
      }
      return out;
    }

    /** Copies of the offer's port resources holding exactly {@code ports}. */
    List<Protos.Resource> takePorts(List<Long> ports, String taskId) {
      List<List<Long>> byResource = new ArrayList<>();
      resources.forEach(r -> byResource.add(new ArrayList<>()));
      for (Long port : ports) {
        boolean found = false;
        for (int i = 0; i < resources.size() && !found; i++) {
          if (!resources.get(i).getName().equals("ports")) {
            continue;
          }
          List<long[]> free = freePorts.get(i);
          for (int j = 0; j < free.size() && !found; j++) {
            long[] range = free.get(j);
            if (port >= range[0] && port <= range[1]) {
              free.remove(j);
              if (range[0] < port) free.add(j, new long[] {range[0], port - 1});
              if (port < range[1]) free.add(new long[] {port + 1, range[1]});
              byResource.get(i).add(port);
              found = true;
            }
          }
        }
        if (!found) {
          throw new IllegalArgumentException("task " + taskId + " is placed on port " + port
              + ", which the offer does not hold (or another task took)");
        }
      }
      List<Protos.Resource> out = new ArrayList<>();
      for (int i = 0; i < resources.size(); i++) {
        List<Long> mine = byResource.get(i);
        if (mine.isEmpty()) {
          continue;
        }
        mine.sort(Long::compare);
        Protos.Value.Ranges.Builder ranges = Protos.Value.Ranges.newBuilder();
        long begin = mine.get(0);
        long prev = begin;
        for (int k = 1; k <= mine.size(); k++) {
          if (k < mine.size() && mine.get(k) == prev + 1) {
            prev = mine.get(k);
            continue;
          }
          ranges.addRange(Protos.Value.Range.newBuilder().setBegin(begin).setEnd(prev));
          if (k < mine.size()) {
            begin = mine.get(k);
            prev = begin;
          }
        }
        out.add(resources.get(i).toBuilder().setRanges(ranges).build());
      }
      return out;
    }
  }
}
