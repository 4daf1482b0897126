package io.mesosrunner.cluster.mesos;

import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.match.Offer;
import io.mesosrunner.match.PortRange;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;

class OfferTranslatorTest {

  static Protos.Offer recordedOffer() {
    return Recordings.event("happy.jsonl", 5).getOffers().getOffers(0);
  }

  static TaskStatus update(String file, int seq) {
    Event e = Recordings.event(file, seq);
    assertThat(e.getType()).isEqualTo(Event.Type.UPDATE);
    return OfferTranslator.toStatus(e.getUpdate().getStatus());
  }

  @Test
  void recordedOfferBecomesOurOfferWithTheWholeAgent() {
    Offer offer = OfferTranslator.toOffer(recordedOffer());
    assertThat(offer.id()).isEqualTo("8c68452b-dc02-4f4b-8848-d7d8ea33163a-O25");
    assertThat(offer.agentId()).isEqualTo("8c68452b-dc02-4f4b-8848-d7d8ea33163a-S0");
    assertThat(offer.hostname()).isEqualTo("127.0.0.1");
    assertThat(offer.role()).isEqualTo("*");
    assertThat(offer.resources().cpus()).isEqualTo(2.0);
    assertThat(offer.resources().memMb()).isEqualTo(23081.0);
    assertThat(offer.resources().diskMb()).isEqualTo(252899.0);
    assertThat(offer.resources().gpus()).isZero();
    assertThat(offer.ports()).containsExactly(new PortRange(31000, 32000));
    assertThat(offer.attributes()).isEmpty();
  }

  @Test
  void recordedOfferNamesTheAgentHttpAddress() {
    assertThat(OfferTranslator.agentBase(recordedOffer())).isEqualTo(URI.create("http://127.0.0.1:5051"));
  }

  @Test
  void resourcesReservedForAnotherRoleOrAllocatedElsewhereAreNotCounted() {
    Protos.Offer base = recordedOffer();
    Protos.Offer offer = base.toBuilder()
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("etl"))
        .clearResources()
        .addResources(scalar("cpus", 1, "etl", "etl"))
        .addResources(scalar("cpus", 2, "*", "etl"))
        .addResources(scalar("cpus", 4, "other", "etl"))
        .addResources(scalar("mem", 100, "*", "other"))
        .addResources(scalar("mem", 50, "*", "etl"))
        .build();
    Offer ours = OfferTranslator.toOffer(offer);
    assertThat(ours.role()).isEqualTo("etl");
    assertThat(ours.resources().cpus()).isEqualTo(3.0);
    assertThat(ours.resources().memMb()).isEqualTo(50.0);
  }

  @Test
  void refinedReservationsUseTheLastReservationsRole() {
    Protos.Resource r = scalar("cpus", 1, "*", "a/b").toBuilder()
        .addReservations(Protos.Resource.ReservationInfo.newBuilder().setRole("a"))
        .addReservations(Protos.Resource.ReservationInfo.newBuilder().setRole("a/b"))
        .build();
    assertThat(OfferTranslator.reservationRole(r)).isEqualTo("a/b");
  }

  @Test
  void attributesOfEveryKindBecomeText() {
    Protos.Offer offer = recordedOffer().toBuilder()
        .addAttributes(Protos.Attribute.newBuilder().setName("rack").setType(Protos.Value.Type.TEXT)
            .setText(Protos.Value.Text.newBuilder().setValue("r1")))
        .addAttributes(Protos.Attribute.newBuilder().setName("level").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(3)))
        .addAttributes(Protos.Attribute.newBuilder().setName("weight").setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(2.5)))
        .addAttributes(Protos.Attribute.newBuilder().setName("span").setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder()
                .addRange(Protos.Value.Range.newBuilder().setBegin(1).setEnd(5))
                .addRange(Protos.Value.Range.newBuilder().setBegin(7).setEnd(9))))
        .addAttributes(Protos.Attribute.newBuilder().setName("tags").setType(Protos.Value.Type.SET)
            .setSet(Protos.Value.Set.newBuilder().addItem("a").addItem("b")))
        .build();
    assertThat(OfferTranslator.toOffer(offer).attributes())
        .containsEntry("rack", "r1").containsEntry("level", "3").containsEntry("weight", "2.5")
        .containsEntry("span", "[1-5,7-9]").containsEntry("tags", "{a,b}");
  }

  @Test
  void failedTaskUpdatesCarryTheCommandsExitCode() {
    assertThat(update("failed-task.jsonl", 18)).satisfies(s -> {
      assertThat(s.taskId()).isEqualTo("ft-exit3");
      assertThat(s.state()).isEqualTo(TaskState.FAILED);
      assertThat(s.exitCode()).isEqualTo(3);
      assertThat(s.reason()).isNull();
      assertThat(s.needsAck()).isTrue();
    });
    assertThat(update("failed-task.jsonl", 22).exitCode()).isEqualTo(127);
    assertThat(update("failed-task.jsonl", 20).exitCode()).isEqualTo(1);
    assertThat(update("failed-task.jsonl", 9).exitCode()).isNull();
  }

  @Test
  void executorUpdateKeepsItsUuidInBase64() {
    TaskStatus s = update("happy.jsonl", 7);
    assertThat(s.state()).isEqualTo(TaskState.STARTING);
    assertThat(s.uuid()).isEqualTo("IwtmolC+R4iFe+/TpMEvsQ==");
    assertThat(Base64.getDecoder().decode(s.uuid())).hasSize(16);
    assertThat(s.agentId()).isEqualTo("8c68452b-dc02-4f4b-8848-d7d8ea33163a-S0");
  }

  @Test
  void agentLossUpdatesFromTheMasterHaveReasonsAndNoUuid() {
    TaskStatus unreachable = update("agent-lost.jsonl", 13);
    assertThat(unreachable.state()).isEqualTo(TaskState.UNREACHABLE);
    assertThat(unreachable.reason()).isEqualTo("AGENT_REMOVED");
    assertThat(unreachable.message()).isEqualTo("health check timed out");
    assertThat(unreachable.uuid()).isNull();
    assertThat(update("agent-lost.jsonl", 15).reason()).isEqualTo("RECONCILIATION");
    TaskStatus back = update("agent-lost.jsonl", 18);
    assertThat(back.state()).isEqualTo(TaskState.RUNNING);
    assertThat(back.reason()).isEqualTo("AGENT_REREGISTERED");
    assertThat(update("agent-lost-non-pa.jsonl", 13).state()).isEqualTo(TaskState.LOST);
    TaskStatus killed = update("agent-lost.jsonl", 26);
    assertThat(killed.state()).isEqualTo(TaskState.KILLED);
    assertThat(killed.exitCode()).isNull();
    assertThat(killed.needsAck()).isTrue();
  }

  @Test
  void partitionAwareMasterStatesTranslate() {
    assertThat(update("partition-aware.jsonl", 6).state()).isEqualTo(TaskState.DROPPED);
    assertThat(update("partition-aware.jsonl", 6).reason()).isEqualTo("INVALID_OFFERS");
    assertThat(update("partition-aware.jsonl", 15).state()).isEqualTo(TaskState.UNKNOWN);
    assertThat(update("partition-aware.jsonl", 16).state()).isEqualTo(TaskState.GONE);
    assertThat(update("partition-aware.jsonl", 21).state()).isEqualTo(TaskState.KILLING);
    assertThat(update("errors.jsonl", 20).state()).isEqualTo(TaskState.ERROR);
    assertThat(update("errors.jsonl", 20).reason()).isEqualTo("TASK_INVALID");
  }

  @Test
  void agentFailureEventNamesOnlyTheAgent() {
    Event e = Recordings.event("agent-lost.jsonl", 14);
    assertThat(e.getType()).isEqualTo(Event.Type.FAILURE);
    assertThat(e.getFailure().hasAgentId()).isTrue();
    assertThat(e.getFailure().hasExecutorId()).isFalse();
  }

  @Test
  void subscribedFromA112MasterParsesAndKeepsTheUnknownQuotaV2Capability() {
    byte[] raw = Recordings.bytes(Recordings.seq("happy.jsonl", 3));
    Event e = Recordings.event("happy.jsonl", 3);
    assertThat(e.getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(e.getSubscribed().getFrameworkId().getValue()).isEqualTo("8c68452b-dc02-4f4b-8848-d7d8ea33163a-0012");
    assertThat(e.getSubscribed().getHeartbeatIntervalSeconds()).isEqualTo(15.0);
    assertThat(e.getSubscribed().getMasterInfo().getCapabilitiesCount()).isEqualTo(3);
    // The capability 1.11 does not know is kept as an unknown field, so nothing is lost.
    assertThat(e.toByteArray()).containsExactly(raw);
  }

  @Test
  void exitCodeIsReadOnlyFromTheCommandExecutorsMessage() {
    assertThat(OfferTranslator.exitCode("Command exited with status 0 (pid: 4)")).isZero();
    assertThat(OfferTranslator.exitCode("Command terminated with signal Terminated")).isNull();
    assertThat(OfferTranslator.exitCode(null)).isNull();
  }

  static Protos.Resource scalar(String name, double value, String reservedFor, String allocatedTo) {
    Protos.Resource.Builder r = Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(allocatedTo));
    if (reservedFor.equals("*")) {
      r.setRole("*");
    } else {
      r.addReservations(Protos.Resource.ReservationInfo.newBuilder()
          .setType(Protos.Resource.ReservationInfo.Type.STATIC).setRole(reservedFor));
    }
    return r.build();
  }

  static List<Protos.Resource> named(List<Protos.Resource> rs, String name) {
    return rs.stream().filter(r -> r.getName().equals(name)).toList();
  }
}
