package io.mesosrunner.cluster.mesos;

import static io.mesosrunner.cluster.mesos.Fixtures.cpusMem;
import static io.mesosrunner.cluster.mesos.Fixtures.job;
import static io.mesosrunner.cluster.mesos.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mesosrunner.job.Command;
import io.mesosrunner.job.Container;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Scale;
import net.jqwik.api.constraints.Size;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

class CallsTest {

  static final String FID = "8c68452b-dc02-4f4b-8848-d7d8ea33163a-0012";
  static final Command HAPPY = Command.shell("echo hello world; echo to-stderr >&2");

  static Protos.Offer offerProto() {
    return OfferTranslatorTest.recordedOffer();
  }

  static Offer offer(Protos.Offer proto) {
    return OfferTranslator.toOffer(proto);
  }

  @Test
  void acceptOfTheRecordedOfferBuildsTheSameTaskInfosTheMasterAccepted() {
    Protos.Offer proto = offerProto();
    Job job = job("happy", HAPPY);
    List<TaskSpec> tasks = List.of(
        task("happy-1", job, offer(proto), cpusMem(0.1, 32), List.of()),
        task("happy-2", job, offer(proto), cpusMem(0.1, 32), List.of()));

    Call ours = Calls.accept(FID, proto, tasks, Duration.ofSeconds(5));
    Call recorded = Recordings.call("happy.jsonl", 6);

    assertThat(ours.getType()).isEqualTo(Call.Type.ACCEPT);
    assertThat(ours.getFrameworkId()).isEqualTo(recorded.getFrameworkId());
    assertThat(ours.getAccept().getOfferIdsList()).isEqualTo(recorded.getAccept().getOfferIdsList());
    assertThat(ours.getAccept().getOperationsCount()).isEqualTo(1);
    Protos.Offer.Operation op = ours.getAccept().getOperations(0);
    assertThat(op.getType()).isEqualTo(Protos.Offer.Operation.Type.LAUNCH);
    List<Protos.TaskInfo> recordedInfos = new ArrayList<>();
    recorded.getAccept().getOperationsList().forEach(o -> recordedInfos.addAll(o.getLaunch().getTaskInfosList()));
    assertThat(op.getLaunch().getTaskInfosList()).containsExactlyElementsOf(recordedInfos);
    assertThat(ours.getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);
  }

  @Test
  void launchResourcesCarryTheOffersRoleAndAllocationInfo() {
    Protos.Offer proto = offerProto();
    Job job = job("j", Command.shell("true"));
    TaskSpec t = task("j.0.1.r", job, offer(proto), new Resources(0.5, 64, 10, 0), List.of(31005L));
    Protos.TaskInfo info = Calls.accept(FID, proto, List.of(t), Duration.ofSeconds(1))
        .getAccept().getOperations(0).getLaunch().getTaskInfos(0);
    assertThat(info.getResourcesList()).extracting(Protos.Resource::getName).containsExactly("cpus", "mem", "disk", "ports");
    for (Protos.Resource r : info.getResourcesList()) {
      assertThat(r.getRole()).isEqualTo("*");
      assertThat(r.getAllocationInfo().getRole()).isEqualTo("*");
    }
    assertThat(info.getResources(0).getScalar().getValue()).isEqualTo(0.5);
    assertThat(info.getResources(3).getRanges().getRangeList())
        .containsExactly(Protos.Value.Range.newBuilder().setBegin(31005).setEnd(31005).build());
  }

  @Test
  void portsBecomeRangesOfExactlyThePlacedPorts() {
    Protos.Offer proto = offerProto();
    TaskSpec t = task("p", job("p", Command.shell("true")), offer(proto), cpusMem(0.1, 1),
        List.of(31010L, 31001L, 31000L, 31002L, 32000L));
    Protos.TaskInfo info = Calls.accept(FID, proto, List.of(t), Duration.ZERO)
        .getAccept().getOperations(0).getLaunch().getTaskInfos(0);
    Protos.Resource ports = OfferTranslatorTest.named(info.getResourcesList(), "ports").get(0);
    assertThat(ports.getRanges().getRangeList()).extracting(r -> r.getBegin() + "-" + r.getEnd())
        .containsExactly("31000-31002", "31010-31010", "32000-32000");
  }

  @Test
  void aPortTheOfferDoesNotHoldOrThatAnotherTaskTookIsRefused() {
    Protos.Offer proto = offerProto();
    Job job = job("p", Command.shell("true"));
    TaskSpec outside = task("a", job, offer(proto), cpusMem(0.1, 1), List.of(80L));
    assertThatThrownBy(() -> Calls.accept(FID, proto, List.of(outside), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 80");
    TaskSpec first = task("a", job, offer(proto), cpusMem(0.1, 1), List.of(31000L));
    TaskSpec second = task("b", job, offer(proto), cpusMem(0.1, 1), List.of(31000L));
    assertThatThrownBy(() -> Calls.accept(FID, proto, List.of(first, second), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("task b").hasMessageContaining("31000");
  }

  @Test
  void moreThanTheOfferHoldsIsRefusedNamingTheResource() {
    Protos.Offer proto = offerProto();
    Job job = job("big", Command.shell("true"));
    List<TaskSpec> tasks = List.of(
        task("a", job, offer(proto), cpusMem(1.5, 1), List.of()),
        task("b", job, offer(proto), cpusMem(1.0, 1), List.of()));
    assertThatThrownBy(() -> Calls.accept(FID, proto, tasks, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task b").hasMessageContaining("cpus 1.0").hasMessageContaining("0.5");
  }

  @Test
  void aNeedIsSplitAcrossReservedAndUnreservedResourcesReservedFirst() {
    Protos.Offer proto = offerProto().toBuilder()
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("etl"))
        .clearResources()
        .addResources(OfferTranslatorTest.scalar("cpus", 2, "*", "etl"))
        .addResources(OfferTranslatorTest.scalar("cpus", 1, "etl", "etl"))
        .addResources(OfferTranslatorTest.scalar("mem", 100, "*", "etl"))
        .build();
    TaskSpec t = task("t", job("t", Command.shell("true")), offer(proto), cpusMem(2.5, 10), List.of());
    Protos.TaskInfo info = Calls.accept(FID, proto, List.of(t), Duration.ZERO)
        .getAccept().getOperations(0).getLaunch().getTaskInfos(0);
    List<Protos.Resource> cpus = OfferTranslatorTest.named(info.getResourcesList(), "cpus");
    assertThat(cpus).hasSize(2);
    assertThat(cpus.get(0).getReservationsList()).extracting(Protos.Resource.ReservationInfo::getRole).containsExactly("etl");
    assertThat(cpus.get(0).getScalar().getValue()).isEqualTo(1.0);
    assertThat(cpus.get(1).getReservationsList()).isEmpty();
    assertThat(cpus.get(1).getScalar().getValue()).isEqualTo(1.5);
    assertThat(cpus).allSatisfy(r -> assertThat(r.getAllocationInfo().getRole()).isEqualTo("etl"));
  }

  @Property(tries = 200)
  void launchedResourcesNeverExceedTheOffer(
      @ForAll @Size(min = 1, max = 30) List<@DoubleRange(min = 0.001, max = 1.0) @Scale(3) Double> cpuNeeds) {
    Protos.Offer proto = offerProto();
    Job job = job("p", Command.shell("true"));
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < cpuNeeds.size(); i++) {
      tasks.add(task("t" + i, job, offer(proto), cpusMem(Math.round(cpuNeeds.get(i) * 1000) / 1000.0, 700), List.of()));
    }
    double askedCpus = tasks.stream().mapToDouble(t -> t.placement().resources().cpus()).sum();
    double askedMem = 700.0 * tasks.size();
    boolean fits = askedCpus <= 2.0 + 1e-9 && askedMem <= 23081;
    try {
      Call call = Calls.accept(FID, proto, tasks, Duration.ZERO);
      assertThat(fits).as("built a launch of cpus %s mem %s on an offer of cpus 2 mem 23081", askedCpus, askedMem).isTrue();
      double cpus = 0;
      double mem = 0;
      for (Protos.TaskInfo ti : call.getAccept().getOperations(0).getLaunch().getTaskInfosList()) {
        for (Protos.Resource r : ti.getResourcesList()) {
          if (r.getName().equals("cpus")) cpus += r.getScalar().getValue();
          if (r.getName().equals("mem")) mem += r.getScalar().getValue();
        }
      }
      assertThat(cpus).isLessThanOrEqualTo(2.0 + 1e-9);
      assertThat(mem).isLessThanOrEqualTo(23081.0);
    } catch (IllegalArgumentException e) {
      assertThat(fits).as("refused a launch that fits: " + e.getMessage()).isFalse();
    }
  }

  @Test
  void argvCommandRunsWithoutAShell() {
    Protos.CommandInfo c = Calls.command(job("a", Command.argv(List.of("/bin/echo", "a b", "c"))), Map.of());
    assertThat(c.getShell()).isFalse();
    assertThat(c.getValue()).isEqualTo("/bin/echo");
    assertThat(c.getArgumentsList()).containsExactly("/bin/echo", "a b", "c");
  }

  @Test
  void taskInfoCarriesEnvUserUrisContainerAndLabels() {
    Protos.Offer proto = offerProto();
    Job job = job("full", Command.shell("./tool"), "nobody",
        List.of("https://example.org/tool.tgz", "https://example.org/config.json"), new Container("alpine:3.20"),
        Map.of("team", "data"));
    TaskSpec t = task("full.0.1.r", job, offer(proto), cpusMem(0.1, 32), List.of(),
        Map.of("RUNNER_INSTANCE", "0", "GREETING", "hi"), Map.of("runner.job", "full", "team", "data"));
    Protos.TaskInfo info = Calls.accept(FID, proto, List.of(t), Duration.ZERO)
        .getAccept().getOperations(0).getLaunch().getTaskInfos(0);
    Protos.CommandInfo c = info.getCommand();
    assertThat(c.getShell()).isTrue();
    assertThat(c.getValue()).isEqualTo("./tool");
    assertThat(c.getUser()).isEqualTo("nobody");
    assertThat(c.getEnvironment().getVariablesList()).extracting(v -> v.getName() + "=" + v.getValue())
        .containsExactly("GREETING=hi", "RUNNER_INSTANCE=0");
    assertThat(c.getUrisList()).extracting(u -> u.getValue() + " " + u.getExtract())
        .containsExactly("https://example.org/tool.tgz true", "https://example.org/config.json false");
    assertThat(info.getContainer().getType()).isEqualTo(Protos.ContainerInfo.Type.MESOS);
    assertThat(info.getContainer().getMesos().getImage().getType()).isEqualTo(Protos.Image.Type.DOCKER);
    assertThat(info.getContainer().getMesos().getImage().getDocker().getName()).isEqualTo("alpine:3.20");
    assertThat(info.getLabels().getLabelsList()).extracting(l -> l.getKey() + "=" + l.getValue())
        .containsExactly("runner.job=full", "team=data");
  }

  @Test
  void taskPlacedOnAnotherOfferIsRefused() {
    Protos.Offer proto = offerProto();
    Offer other = new Offer("other-offer", "a", "h", "*", Resources.NONE, List.of(), Map.of());
    TaskSpec t = task("t", job("t", Command.shell("true")), other, cpusMem(0.1, 1), List.of());
    assertThatThrownBy(() -> Calls.accept(FID, proto, List.of(t), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other-offer");
  }

  @Test
  void subscribeDeclaresTheCapabilitiesAndFailoverTimeout() {
    MesosConfig config = MesosConfig.builder(MasterAddress.parse("127.0.0.1:5050"), "runner")
        .user("root").principal("p").secret("s3cret").build();
    Call call = Calls.subscribe(config, null);
    Protos.FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    assertThat(call.getType()).isEqualTo(Call.Type.SUBSCRIBE);
    assertThat(call.hasFrameworkId()).isFalse();
    assertThat(info.hasId()).isFalse();
    assertThat(info.getUser()).isEqualTo("root");
    assertThat(info.getName()).isEqualTo("runner");
    assertThat(info.getRolesList()).containsExactly("*");
    assertThat(info.getCheckpoint()).isTrue();
    assertThat(info.getFailoverTimeout()).isEqualTo(7 * 24 * 3600.0);
    assertThat(info.getPrincipal()).isEqualTo("p");
    assertThat(info.getCapabilitiesList()).extracting(Protos.FrameworkInfo.Capability::getType)
        .containsExactlyInAnyOrder(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE,
            Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE,
            Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    assertThat(call.toString()).doesNotContain("s3cret");
  }

  @Test
  void resubscribeSetsTheFrameworkIdInTheCallAndTheFrameworkInfo() {
    MesosConfig config = MesosConfig.builder(MasterAddress.parse("127.0.0.1:5050"), "runner").build();
    Call call = Calls.subscribe(config, FID);
    assertThat(call.getFrameworkId().getValue()).isEqualTo(FID);
    assertThat(call.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(FID);
    assertThat(call.getSubscribe().getFrameworkInfo().hasPrincipal()).isFalse();
  }

  @Test
  void declineKillAcknowledgeReconcileSuppressReviveTeardown() {
    Call decline = Calls.decline(FID, List.of("o1", "o2"), Duration.ofSeconds(2));
    assertThat(decline.getDecline().getOfferIdsList()).extracting(Protos.OfferID::getValue).containsExactly("o1", "o2");
    assertThat(decline.getDecline().getFilters().getRefuseSeconds()).isEqualTo(2.0);

    Call kill = Calls.kill(FID, "t1", "a1");
    assertThat(kill.getType()).isEqualTo(Call.Type.KILL);
    assertThat(kill.getKill().getTaskId().getValue()).isEqualTo("t1");
    assertThat(kill.getKill().getAgentId().getValue()).isEqualTo("a1");

    Call recordedAck = Recordings.call("happy.jsonl", 9);
    Call ack = Calls.acknowledge(FID, new Action.Acknowledge("happy-2", "8c68452b-dc02-4f4b-8848-d7d8ea33163a-S0",
        "IwtmolC+R4iFe+/TpMEvsQ=="));
    assertThat(ack).isEqualTo(recordedAck);

    Call reconcile = Calls.reconcile(FID, List.of(new Action.TaskRef("t1", "a1"), new Action.TaskRef("t2", null)));
    assertThat(reconcile.getReconcile().getTasksList()).extracting(t -> t.getTaskId().getValue() + "@" + t.hasAgentId())
        .containsExactly("t1@true", "t2@false");
    assertThat(Calls.reconcile(FID, List.of()).getReconcile().getTasksCount()).isZero();
    assertThat(Calls.reconcile(FID, List.of()).hasReconcile()).isTrue();

    assertThat(Calls.suppress(FID, "etl").getSuppress().getRolesList()).containsExactly("etl");
    assertThat(Calls.revive(FID, "etl").getRevive().getRolesList()).containsExactly("etl");
    assertThat(Calls.teardown(FID).getType()).isEqualTo(Call.Type.TEARDOWN);
  }

  @Test
  void archivesAreExtractedOtherFilesAreNot() {
    assertThat(Calls.isArchive("https://x/a.tar.gz?sig=1")).isTrue();
    assertThat(Calls.isArchive("https://x/a.ZIP")).isTrue();
    assertThat(Calls.isArchive("https://x/run.sh")).isFalse();
  }
}
