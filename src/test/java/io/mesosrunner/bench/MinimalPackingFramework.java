package io.mesosrunner.bench;

import java.io.DataInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The yardstick of {@code bench/packing.sh}: the least a Mesos framework does to run N copies of a
 * command. It subscribes, fills every offer with as many tasks as fit, declines the rest with a
 * 1 s filter, acknowledges every update, relaunches what ends other than TASK_FINISHED and tears
 * down when N have finished. One thread; every call is sent from the event loop and waited for.
 *
 * <p>Arguments: {@code MASTER_URL INSTANCES CPUS MEM_MIB COMMAND}. Exit 0 when all finished.
 */
public final class MinimalPackingFramework {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final URI endpoint;
  private final int instances;
  private final double cpus;
  private final double mem;
  private final String command;
  private FrameworkID fid;
  private String streamId;
  private int launched;
  private int finished;

  private MinimalPackingFramework(String master, int instances, double cpus, double mem, String command) {
    this.endpoint = URI.create(master).resolve("/api/v1/scheduler");
    this.instances = instances;
    this.cpus = cpus;
    this.mem = mem;
    this.command = command;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: MinimalPackingFramework MASTER_URL INSTANCES CPUS MEM_MIB COMMAND");
      System.exit(2);
    }
    new MinimalPackingFramework(args[0], Integer.parseInt(args[1]), Double.parseDouble(args[2]),
        Double.parseDouble(args[3]), args[4]).run();
  }

  private void run() throws Exception {
    FrameworkInfo info = FrameworkInfo.newBuilder().setUser(System.getProperty("user.name")).setName("minimal-packing")
        .addRoles("*").addCapabilities(FrameworkInfo.Capability.newBuilder()
            .setType(FrameworkInfo.Capability.Type.MULTI_ROLE)).build();
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
    HttpResponse<InputStream> r = HTTP.send(request(subscribe).header("Accept", PROTOBUF).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (r.statusCode() != 200) throw new IllegalStateException("SUBSCRIBE answered " + r.statusCode());
    streamId = r.headers().firstValue("Mesos-Stream-Id").orElseThrow();
    try (DataInputStream in = new DataInputStream(r.body())) {
      while (finished < instances) {
        handle(Event.parseFrom(in.readNBytes(recordLength(in))));
      }
    }
    send(Call.newBuilder().setType(Call.Type.TEARDOWN).setFrameworkId(fid).build());
  }

  /** RecordIO: a decimal length and a newline before each record. */
  private static int recordLength(DataInputStream in) throws java.io.IOException {
    int n = 0;
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) throw new java.io.EOFException("event stream ended");
      n = n * 10 + (c - '0');
    }
    return n;
  }

  private void handle(Event e) throws Exception {
    switch (e.getType()) {
      case SUBSCRIBED -> fid = e.getSubscribed().getFrameworkId();
      case OFFERS -> e.getOffers().getOffersList().forEach(this::fill);
      case UPDATE -> {
        TaskStatus s = e.getUpdate().getStatus();
        if (s.hasUuid()) {
          send(Call.newBuilder().setType(Call.Type.ACKNOWLEDGE).setFrameworkId(fid)
              .setAcknowledge(Call.Acknowledge.newBuilder().setAgentId(s.getAgentId())
                  .setTaskId(s.getTaskId()).setUuid(s.getUuid())).build());
        }
        if (s.getState() == TaskState.TASK_FINISHED) finished++;
        else if (terminal(s.getState())) launched--;
      }
      case ERROR -> throw new IllegalStateException("ERROR from the master: " + e.getError().getMessage());
      default -> { }
    }
  }

  /** As many tasks as fit and are still wanted; the rest declined for 1 s. */
  private void fill(Offer offer) {
    double freeCpus = scalar(offer, "cpus");
    double freeMem = scalar(offer, "mem");
    Offer.Operation.Builder launch = Offer.Operation.newBuilder().setType(Offer.Operation.Type.LAUNCH);
    while (launched < instances && freeCpus >= cpus - 1e-9 && freeMem >= mem - 1e-9) {
      freeCpus -= cpus;
      freeMem -= mem;
      String id = "packing-" + launched++ + "-" + System.nanoTime();
      launch.getLaunchBuilder().addTaskInfos(TaskInfo.newBuilder().setName(id)
          .setTaskId(TaskID.newBuilder().setValue(id)).setAgentId(offer.getAgentId())
          .addResources(resource(offer, "cpus", cpus)).addResources(resource(offer, "mem", mem))
          .setCommand(CommandInfo.newBuilder().setShell(true).setValue(command)));
    }
    Filters oneSecond = Filters.newBuilder().setRefuseSeconds(1).build();
    Call.Builder call = Call.newBuilder().setFrameworkId(fid);
    if (launch.getLaunch().getTaskInfosCount() > 0) {
      call.setType(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId())
          .addOperations(launch).setFilters(oneSecond));
    } else {
      call.setType(Call.Type.DECLINE).setDecline(Call.Decline.newBuilder().addOfferIds(offer.getId())
          .setFilters(oneSecond));
    }
    send(call.build());
  }

  private static double scalar(Offer offer, String name) {
    return offer.getResourcesList().stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  /** The offer's own resource (role, allocation_info) with another amount. */
  private static Resource resource(Offer offer, String name, double amount) {
    Resource r = offer.getResourcesList().stream().filter(x -> x.getName().equals(name)).findFirst().orElseThrow();
    return r.toBuilder().setScalar(Value.Scalar.newBuilder().setValue(amount)).build();
  }

  private static boolean terminal(TaskState s) {
    return switch (s) {
      case TASK_FAILED, TASK_KILLED, TASK_ERROR, TASK_LOST, TASK_DROPPED, TASK_GONE, TASK_GONE_BY_OPERATOR -> true;
      default -> false;
    };
  }

  private HttpRequest.Builder request(Call call) {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call.toByteArray()));
    return streamId == null ? b : b.header("Mesos-Stream-Id", streamId);
  }

  private void send(Call call) {
    try {
      HttpResponse<String> r = HTTP.send(request(call).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        throw new IllegalStateException(call.getType() + " answered " + r.statusCode() + " " + r.body());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
