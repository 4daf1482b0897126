package io.mesosrunner.cluster.mesos;

import io.mesosrunner.testing.RecordingListener;

import static io.mesosrunner.cluster.mesos.Fixtures.cpusMem;
import static io.mesosrunner.cluster.mesos.Fixtures.job;
import static io.mesosrunner.cluster.mesos.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.cluster.mesos.PlaybackMaster.Received;
import io.mesosrunner.cluster.mesos.PlaybackMaster.SubscribeAnswer;
import io.mesosrunner.job.Command;
import io.mesosrunner.match.Offer;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class MesosClusterTest {

  static final String STREAM = "5af6160d-06b9-4650-98a0-113a3ec125ba";
  static final String FID = "8c68452b-dc02-4f4b-8848-d7d8ea33163a-0012";

  @RegisterExtension final PlaybackRun run = new PlaybackRun();

  static byte[] recorded(int seq) {
    return Recordings.bytes(Recordings.seq("happy.jsonl", seq));
  }

  /** The recorded SUBSCRIBED, HEARTBEAT and OFFERS of happy.jsonl, in the order they came. */
  static List<byte[]> happyStart() {
    return List.of(recorded(3), recorded(4), recorded(5));
  }

  MesosConfig.Builder config(String master) {
    return MesosConfig.builder(MasterAddress.parse(master), "runner-test")
        .user("tester")
        .reconnectMin(Duration.ofMillis(50))
        .reconnectMax(Duration.ofMillis(200))
        .maxReconnectAttempts(3)
        .outputPollInterval(Duration.ofMillis(100))
        .outputLinger(Duration.ofMillis(300));
  }

  @Test
  void subscribesWithProtobufThenDeclinesWithTheStreamId(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()));

    Received subscribe = master.next(Call.Type.SUBSCRIBE);
    assertThat(subscribe.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(subscribe.header("Accept")).isEqualTo("application/x-protobuf");
    assertThat(subscribe.header("Mesos-Stream-Id")).isNull();
    assertThat(subscribe.header("Authorization")).isNull();
    Protos.FrameworkInfo info = subscribe.call().getSubscribe().getFrameworkInfo();
    assertThat(info.getUser()).isEqualTo("tester");
    assertThat(info.getName()).isEqualTo("runner-test");
    assertThat(info.hasId()).isFalse();
    assertThat(info.getCapabilitiesList()).extracting(Protos.FrameworkInfo.Capability::getType)
        .contains(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);

    Event.Subscribed subscribed = listener.next(Event.Subscribed.class);
    assertThat(subscribed.frameworkId()).isEqualTo(FID);
    assertThat(subscribed.clusterDescription()).isEqualTo("mesos master http://" + master.hostPort() + " (framework " + FID + ")");
    Event.OffersReceived offers = listener.next(Event.OffersReceived.class);
    Offer offer = offers.offers().get(0);
    assertThat(offer.resources().cpus()).isEqualTo(2.0);

    cluster.execute(new Action.Decline(List.of(offer.id()), Duration.ofSeconds(3)));
    Received decline = master.next(Call.Type.DECLINE);
    assertThat(decline.header("Mesos-Stream-Id")).isEqualTo(STREAM);
    assertThat(decline.header("Content-Type")).isEqualTo("application/x-protobuf");
    assertThat(decline.call().getFrameworkId().getValue()).isEqualTo(FID);
    assertThat(decline.call().getDecline().getOfferIdsList()).extracting(Protos.OfferID::getValue).containsExactly(offer.id());
    assertThat(decline.call().getDecline().getFilters().getRefuseSeconds()).isEqualTo(3.0);
    assertThat(cluster.description()).contains(FID);
  }

  @Test
  void sendsBasicCredentialsOnEveryCallAndPutsThePrincipalInFrameworkInfo(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()).principal("rec-principal").secret("pw"));
    Received subscribe = master.next(Call.Type.SUBSCRIBE);
    String expected = "Basic " + Base64.getEncoder().encodeToString("rec-principal:pw".getBytes(StandardCharsets.UTF_8));
    assertThat(subscribe.header("Authorization")).isEqualTo(expected);
    assertThat(subscribe.call().getSubscribe().getFrameworkInfo().getPrincipal()).isEqualTo("rec-principal");
    listener.next(Event.Subscribed.class);
    cluster.execute(new Action.Revive());
    assertThat(master.next(Call.Type.REVIVE).header("Authorization")).isEqualTo(expected);
  }

  @Test
  void launchSendsOneAcceptAndTailsTheTasksOutputWithoutExecutorLogLines(PlaybackMaster master, RecordingListener listener) throws Exception {
    Protos.Offer recordedOffer = Recordings.event("happy.jsonl", 5).getOffers().getOffers(0);
    Protos.Offer offerHere = recordedOffer.toBuilder()
        .setUrl(recordedOffer.getUrl().toBuilder().setAddress(recordedOffer.getUrl().getAddress().toBuilder().setPort(master.port())))
        .build();
    byte[] offersEvent = org.apache.mesos.v1.scheduler.Protos.Event.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS)
        .setOffers(org.apache.mesos.v1.scheduler.Protos.Event.Offers.newBuilder().addOffers(offerHere))
        .build().toByteArray();
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), recorded(4), offersEvent)));
    String sandbox = "/frameworks/" + FID + "/executors/happy-1/runs/latest/";
    master.files.put(sandbox + "stdout", p -> "hello world\nno newline yet");
    master.files.put(sandbox + "stderr", p -> "I1125 15:06:40.403369 30065 exec.cpp:164] Version: 1.12.0\n"
        + "to-stderr\n"
        + "I1125 15:06:40.980525 30077 executor.cpp:1041] Command exited with status 0 (pid: 30085)\n");

    MesosCluster cluster = run.start(config(master.hostPort()));
    Offer offer = listener.next(Event.OffersReceived.class).offers().get(0);
    TaskSpec t = task("happy-1", job("happy", Command.shell("echo hello world; echo to-stderr >&2")), offer,
        cpusMem(0.1, 32), List.of());
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), List.of(t), Duration.ofSeconds(5)));

    Received accept = master.next(Call.Type.ACCEPT);
    assertThat(accept.header("Mesos-Stream-Id")).isEqualTo(STREAM);
    assertThat(accept.call().getAccept().getOperationsCount()).isEqualTo(1);
    assertThat(accept.call().getAccept().getOperations(0).getLaunch().getTaskInfosList())
        .containsExactly(Recordings.call("happy.jsonl", 6).getAccept().getOperations(0).getLaunch().getTaskInfos(0));
    assertThat(accept.call().getAccept().getFilters().getRefuseSeconds()).isEqualTo(5.0);

    assertThat(listener.nextLine(Duration.ofSeconds(20)))
        .isIn(new RecordingListener.Line("happy-1", OutputStreamKind.STDOUT, "hello world"),
            new RecordingListener.Line("happy-1", OutputStreamKind.STDERR, "to-stderr"));
    assertThat(listener.nextLine(Duration.ofSeconds(20)))
        .isIn(new RecordingListener.Line("happy-1", OutputStreamKind.STDOUT, "hello world"),
            new RecordingListener.Line("happy-1", OutputStreamKind.STDERR, "to-stderr"));

    // The terminal update arrives: the tail reads once more, flushes the unterminated line and stops.
    master.push(finished("happy-1"));
    Event.StatusUpdate update = listener.next(Event.StatusUpdate.class);
    assertThat(update.status().state()).isEqualTo(TaskState.FINISHED);
    assertThat(update.status().exitCode()).isZero();
    assertThat(listener.nextLine(Duration.ofSeconds(20)))
        .isEqualTo(new RecordingListener.Line("happy-1", OutputStreamKind.STDOUT, "no newline yet"));
    assertThat(listener.nextLine(Duration.ofMillis(600)))
        .as("a line after the last flush").isNull();

    cluster.execute(new Action.Acknowledge("happy-1", offer.agentId(), update.status().uuid()));
    Received ack = master.next(Call.Type.ACKNOWLEDGE);
    assertThat(ack.call().getAcknowledge().getUuid().size()).isEqualTo(16);
  }

  static byte[] finished(String taskId) {
    org.apache.mesos.v1.scheduler.Protos.Event happyFinished = Recordings.event("happy.jsonl", 13);
    Protos.TaskStatus s = happyFinished.getUpdate().getStatus();
    return happyFinished.toBuilder()
        .setUpdate(happyFinished.getUpdate().toBuilder().setStatus(s.toBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
            .setState(Protos.TaskState.TASK_FINISHED)
            .setMessage("Command exited with status 0")))
        .build().toByteArray();
  }

  @Test
  void aLaunchOnAnOfferNoLongerHeldComesBackAsDroppedTasks(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()));
    Offer offer = listener.next(Event.OffersReceived.class).offers().get(0);
    master.push(org.apache.mesos.v1.scheduler.Protos.Event.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.RESCIND)
        .setRescind(org.apache.mesos.v1.scheduler.Protos.Event.Rescind.newBuilder()
            .setOfferId(Protos.OfferID.newBuilder().setValue(offer.id())))
        .build().toByteArray());
    assertThat(listener.next(Event.OfferRescinded.class).offerId()).isEqualTo(offer.id());
    TaskSpec t = task("late-1", job("late", Command.shell("true")), offer, cpusMem(0.1, 32), List.of());
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), List.of(t), Duration.ofSeconds(1)));
    Event.StatusUpdate dropped = listener.next(Event.StatusUpdate.class);
    assertThat(dropped.status().taskId()).isEqualTo("late-1");
    assertThat(dropped.status().state()).isEqualTo(TaskState.DROPPED);
    assertThat(dropped.status().needsAck()).isFalse();
  }

  @Test
  void followsA307ToTheLeaderAndKeepsUsingIt(PlaybackMaster master, RecordingListener listener) throws Exception {
    PlaybackMaster other = run.otherMaster("/master/api/v1/scheduler");
    master.answerNextSubscribe(SubscribeAnswer.redirect("//" + other.hostPort() + "/master/api/v1/scheduler"));
    other.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    assertThat(cluster.leaderUri()).isEqualTo(URI.create("http://" + other.hostPort() + "/master/api/v1/scheduler"));
    cluster.execute(new Action.Suppress());
    Received suppress = other.next(Call.Type.SUPPRESS);
    assertThat(suppress.path()).isEqualTo("/master/api/v1/scheduler");
    assertThat(suppress.call().getSuppress().getRolesList()).containsExactly("*");
  }

  @Test
  void locationWithoutSchemeResolvesAgainstTheCalledUrl() {
    URI called = URI.create("http://127.0.0.1:5050/api/v1/scheduler");
    assertThat(SchedulerHttpClient.resolveLocation(called, "//127.0.0.1:5060/master/api/v1/scheduler"))
        .isEqualTo(URI.create("http://127.0.0.1:5060/master/api/v1/scheduler"));
    assertThat(SchedulerHttpClient.resolveLocation(called, "//127.0.0.1:5050"))
        .isEqualTo(URI.create("http://127.0.0.1:5050/api/v1/scheduler"));
    assertThat(SchedulerHttpClient.resolveLocation(URI.create("https://m1:5050/api/v1/scheduler"), "//m2:5050/master/api/v1/scheduler"))
        .isEqualTo(URI.create("https://m2:5050/master/api/v1/scheduler"));
  }

  @Test
  void aDroppedStreamIsReportedAndTheFrameworkResubscribesWithItsId(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.streamThenEnd(STREAM, happyStart()));
    master.answerNextSubscribe(SubscribeAnswer.stream("second-stream", List.of(recorded(3), recorded(4))));
    MesosCluster cluster = run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    assertThat(listener.next(Event.Disconnected.class).reason()).contains("closed the event stream");
    master.next(Call.Type.SUBSCRIBE);
    Received again = master.next(Call.Type.SUBSCRIBE);
    assertThat(again.call().getFrameworkId().getValue()).isEqualTo(FID);
    assertThat(again.call().getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo(FID);
    assertThat(listener.next(Event.Subscribed.class).frameworkId()).isEqualTo(FID);
    cluster.execute(new Action.Reconcile(List.of()));
    assertThat(master.next(Call.Type.RECONCILE).header("Mesos-Stream-Id")).isEqualTo("second-stream");
  }

  @Test
  void missingHeartbeatsCountAsADisconnection(PlaybackMaster master, RecordingListener listener) throws Exception {
    org.apache.mesos.v1.scheduler.Protos.Event subscribed = Recordings.event("happy.jsonl", 3);
    byte[] fastHeartbeat = subscribed.toBuilder()
        .setSubscribed(subscribed.getSubscribed().toBuilder().setHeartbeatIntervalSeconds(0.2))
        .build().toByteArray();
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(fastHeartbeat)));
    master.answerNextSubscribe(SubscribeAnswer.stream("second", List.of(recorded(3))));
    run.start(config(master.hostPort()).heartbeatMissFactor(2));
    listener.next(Event.Subscribed.class);
    assertThat(listener.next(Event.Disconnected.class).reason()).contains("no heartbeat");
    assertThat(listener.next(Event.Subscribed.class).frameworkId()).isEqualTo(FID);
  }

  @Test
  void unauthorizedSubscriptionFailsTheClusterAtOnce(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.error(401, "401 Unauthorized."));
    run.start(config(master.hostPort()));
    assertThat(listener.next(Event.ClusterFailed.class).reason()).contains("authentication failed");
  }

  @Test
  void refusedSubscriptionFailsWithTheMastersMessageAfterBoundedRetries(PlaybackMaster master, RecordingListener listener) throws Exception {
    String text = "Failed to validate scheduler::Call: Authenticated principal 'a' does not match principal 'b'";
    for (int i = 0; i < 3; i++) {
      master.answerNextSubscribe(SubscribeAnswer.error(400, text));
    }
    run.start(config(master.hostPort()));
    assertThat(listener.next(Event.ClusterFailed.class).reason()).contains(text).contains("400");
    assertThat(master.received).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  void unreachableMasterFailsAfterTheConfiguredAttempts(RecordingListener listener) throws Exception {
    int freePort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      freePort = s.getLocalPort();
    }
    run.start(config("127.0.0.1:" + freePort));
    Event.ClusterFailed failed = listener.next(Event.ClusterFailed.class);
    assertThat(failed.reason()).contains("cannot reach master at http://127.0.0.1:" + freePort).contains("3 attempts");
    assertThat(listener.events()).noneMatch(e -> e instanceof Event.Disconnected);
  }

  @Test
  void frameworkRemovedErrorFailsTheCluster(PlaybackMaster master, RecordingListener listener) throws Exception {
    byte[] error = org.apache.mesos.v1.scheduler.Protos.Event.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.ERROR)
        .setError(org.apache.mesos.v1.scheduler.Protos.Event.Error.newBuilder().setMessage("Framework has been removed"))
        .build().toByteArray();
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), error)));
    run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    assertThat(listener.next(Event.ClusterFailed.class).reason()).contains("Framework has been removed");
  }

  @Test
  void teardownIsSentAndEndsTheStreamWithoutADisconnection(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    cluster.execute(new Action.Teardown());
    assertThat(master.next(Call.Type.TEARDOWN).call().getFrameworkId().getValue()).isEqualTo(FID);
    assertThat(listener.eventWithin(Duration.ofMillis(500),
        e -> e instanceof Event.Disconnected || e instanceof Event.ClusterFailed)).isNull();
    assertThat(master.received).noneMatch(r -> r.call().getType() == Call.Type.SUBSCRIBE);
  }

  @Test
  void inverseOffersAreDeclinedAtOnce(PlaybackMaster master) throws Exception {
    byte[] inverse = org.apache.mesos.v1.scheduler.Protos.Event.newBuilder()
        .setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.INVERSE_OFFERS)
        .setInverseOffers(org.apache.mesos.v1.scheduler.Protos.Event.InverseOffers.newBuilder()
            .addInverseOffers(Protos.InverseOffer.newBuilder()
                .setId(Protos.OfferID.newBuilder().setValue("inv-1"))
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(FID))
                .setUnavailability(Protos.Unavailability.newBuilder()
                    .setStart(Protos.TimeInfo.newBuilder().setNanoseconds(0)))))
        .build().toByteArray();
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), inverse)));
    run.start(config(master.hostPort()));
    Received decline = master.next(Call.Type.DECLINE_INVERSE_OFFERS);
    assertThat(decline.call().getDeclineInverseOffers().getInverseOfferIdsList())
        .extracting(Protos.OfferID::getValue).containsExactly("inv-1");
  }

  @Test
  void agentFailureBecomesAgentLost(PlaybackMaster master, RecordingListener listener) throws Exception {
    byte[] failure = Recordings.bytes(Recordings.seq("agent-lost.jsonl", 14));
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), failure)));
    run.start(config(master.hostPort()));
    assertThat(listener.next(Event.AgentLost.class).agentId()).isEqualTo("a8cd731e-db89-4c1b-a43d-68fb7b5a8a3d-S0");
  }

  @Test
  void anAcceptTheMasterRejectsComesBackAsDroppedTasksWithItsMessage(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    master.callAnswers.put(Call.Type.ACCEPT, java.util.Map.entry(403, "Framework is not subscribed"));
    MesosCluster cluster = run.start(config(master.hostPort()).tailOutput(false));
    Offer offer = listener.next(Event.OffersReceived.class).offers().get(0);
    TaskSpec t = task("rejected-1", job("r", Command.shell("true")), offer, cpusMem(0.1, 32), List.of());
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), List.of(t), Duration.ofSeconds(1)));
    Event.StatusUpdate dropped = listener.next(Event.StatusUpdate.class);
    assertThat(dropped.status().state()).isEqualTo(TaskState.DROPPED);
    assertThat(dropped.status().message()).contains("ACCEPT answered 403: Framework is not subscribed");
  }

  @Test
  void aCallAnswered401FailsTheCluster(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    master.callAnswers.put(Call.Type.REVIVE, java.util.Map.entry(401, "401 Unauthorized."));
    MesosCluster cluster = run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    cluster.execute(new Action.Revive());
    assertThat(listener.next(Event.ClusterFailed.class).reason()).contains("authentication failed for REVIVE");
  }

  @Test
  void executeNeverBlocksTheCallerEvenWhenTheMasterIsUnreachable(PlaybackMaster master, RecordingListener listener) throws Exception {
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, happyStart()));
    MesosCluster cluster = run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    master.close();
    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      cluster.execute(new Action.Kill("t" + i, "a"));
    }
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aMasterThatNeverAnswersSubscribeCountsAsUnreachable(RecordingListener listener) throws Exception {
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        List<java.net.Socket> held = new java.util.ArrayList<>();
        try {
          while (true) held.add(silent.accept());
        } catch (java.io.IOException closed) {
          held.forEach(x -> { try { x.close(); } catch (java.io.IOException ignored) { } });
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      MesosCluster cluster = run.cluster(config("127.0.0.1:" + silent.getLocalPort()).maxReconnectAttempts(2));
      cluster.subscribeTimeout(Duration.ofMillis(300));
      cluster.start(listener);
      assertThat(listener.next(Event.ClusterFailed.class).reason()).contains("no answer to SUBSCRIBE");
    }
  }

  @Test
  void anEventTypeFromANewerMasterIsSkippedAndTheStreamGoesOn(PlaybackMaster master, RecordingListener listener) throws Exception {
    byte[] unknownType = {0x08, 0x63, (byte) 0xfa, 0x3e, 0x01, 0x00};
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), unknownType, recorded(5))));
    run.start(config(master.hostPort()));
    assertThat(listener.next(Event.OffersReceived.class).offers()).hasSize(1);
    assertThat(listener.events()).noneMatch(e -> e instanceof Event.Disconnected);
  }

  @Test
  void recordedFailedOverErrorLeadsToAResubscription(PlaybackMaster master, RecordingListener listener) throws Exception {
    byte[] failedOver = Recordings.bytes(Recordings.seq("failover.jsonl", 26));
    master.answerNextSubscribe(SubscribeAnswer.stream(STREAM, List.of(recorded(3), failedOver)));
    master.answerNextSubscribe(SubscribeAnswer.stream("s2", List.of(recorded(3))));
    run.start(config(master.hostPort()));
    listener.next(Event.Subscribed.class);
    assertThat(listener.next(Event.Disconnected.class).reason()).contains("Framework failed over");
    assertThat(listener.next(Event.Subscribed.class).frameworkId()).isEqualTo(FID);
  }
}
