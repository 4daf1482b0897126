package io.mesosrunner.cluster.mesos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initialises the wire classes a run needs before its first SUBSCRIBE and its first
 * ACCEPT (the Mesos protobuf descriptors, the event decoding, the offer translation), on a daemon
 * thread, while the caller validates the job file. Done on the calling thread after validation
 * this is about 200 ms on the path to SUBSCRIBE and another 100 ms before the first offer is
 * answered; the JVM makes concurrent class initialisation safe, so whichever thread comes first
 * does each class and the other waits for it.
 *
 * <p>Works on made-up messages only: nothing is sent, nothing is kept.
 */
public final class WireWarmUp {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(WireWarmUp.class);

  private WireWarmUp() {}

  /** Starts the warm-up; returns at once. Failures are only logged: the real path does the same work. */
  public static void startInBackground() {
    Thread t = new Thread(WireWarmUp::run, "runner-mesos-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  /** Does the warm-up on this thread; false when a step failed (logged at debug). */
  static boolean run() {
    try {
      Protos.Offer offer = sampleOffer();
      byte[] event = Event.newBuilder().setType(Event.Type.OFFERS)
          .setOffers(Event.Offers.newBuilder().addOffers(offer)).build().toByteArray();
      RecordIoDecoder records = new RecordIoDecoder();
      records.feed(ByteBuffer.wrap((event.length + "\n").getBytes(StandardCharsets.US_ASCII)));
      records.feed(ByteBuffer.wrap(event));
      Event decoded = Event.parseFrom(records.next());
      for (Protos.Offer o : decoded.getOffers().getOffersList()) {
        OfferTranslator.toOffer(o);
        OfferTranslator.agentBase(o);
      }
      Protos.TaskStatus status = Protos.TaskStatus.newBuilder()
          .setTaskId(Protos.TaskID.newBuilder().setValue("warm-up"))
          .setState(Protos.TaskState.TASK_RUNNING).setAgentId(offer.getAgentId()).build();
      OfferTranslator.toStatus(Event.newBuilder().setType(Event.Type.UPDATE)
          .setUpdate(Event.Update.newBuilder().setStatus(status)).build().getUpdate().getStatus());
      Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName("warm-up").setTaskId(status.getTaskId())
          .setAgentId(offer.getAgentId()).addAllResources(offer.getResourcesList())
          .setCommand(Protos.CommandInfo.newBuilder().setValue("true").setShell(true)
              .setEnvironment(Protos.Environment.newBuilder().addVariables(
                  Protos.Environment.Variable.newBuilder().setName("RUNNER_INSTANCE").setValue("0"))))
          .build();
      Call accept = Calls.accept("warm-up", offer, List.of(), Duration.ofSeconds(5)).toBuilder()
          .setAccept(Call.Accept.newBuilder().addOfferIds(offer.getId()).addOperations(Protos.Offer.Operation.newBuilder()
              .setType(Protos.Offer.Operation.Type.LAUNCH)
              .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task))))
          .build();
      accept.toByteArray();
      Calls.decline("warm-up", List.of(offer.getId().getValue()), Duration.ofSeconds(1)).toByteArray();
      return true;
    } catch (Exception | LinkageError e) {
      log.debug("warm-up of the Mesos wire classes failed (the run does the same work itself)", e);
      return false;
    }
  }

  private static Protos.Offer sampleOffer() {
    Protos.AgentID agent = Protos.AgentID.newBuilder().setValue("warm-up-S0").build();
    return Protos.Offer.newBuilder()
        .setId(Protos.OfferID.newBuilder().setValue("warm-up-O0"))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("warm-up"))
        .setAgentId(agent)
        .setHostname("localhost")
        .setUrl(Protos.URL.newBuilder().setScheme("http")
            .setAddress(Protos.Address.newBuilder().setHostname("localhost").setIp("127.0.0.1").setPort(5051)))
        .addResources(scalar("cpus", 1))
        .addResources(scalar("mem", 1024))
        .addResources(Protos.Resource.newBuilder().setName("ports").setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder().addRange(Protos.Value.Range.newBuilder().setBegin(31000).setEnd(32000))))
        .addAttributes(Protos.Attribute.newBuilder().setName("rack").setType(Protos.Value.Type.TEXT)
            .setText(Protos.Value.Text.newBuilder().setValue("r1")))
        .build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")).build();
  }
}
