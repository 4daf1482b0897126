package io.mesosrunner.cluster.local;

import io.mesosrunner.testing.Await;
import io.mesosrunner.testing.RecordingListener;

import io.mesosrunner.testing.FakeClock;

import static io.mesosrunner.cluster.local.LocalFixtures.job;
import static io.mesosrunner.cluster.local.LocalFixtures.shellJob;
import static io.mesosrunner.cluster.local.LocalFixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.mesosrunner.cluster.ClusterListener.OutputStreamKind;
import io.mesosrunner.job.Command;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.PortRange;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskSpec;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster with its Perl process spawner; {@link LocalClusterJdkStarterTest} reruns these with the JDK's. */
class LocalClusterTest {

  @TempDir Path runDir;

  /** How the clusters of this class start processes. */
  LocalConfig.Starter starter() {
    return LocalConfig.Starter.PERL;
  }

  private final RecordingListener events = new RecordingListener();
  private final List<LocalCluster> clusters = new ArrayList<>();

  private LocalCluster start(double cpus) {
    LocalConfig config = LocalConfig.defaults(runDir)
        .withCpus(cpus).withMemMb(1024).withDiskMb(1024)
        .withHostname("testhost").withKillGrace(Duration.ofMillis(500)).withStarter(starter());
    LocalCluster cluster = new LocalCluster(config);
    clusters.add(cluster);
    cluster.start(events);
    return cluster;
  }

  @AfterEach
  void closeClusters() {
    clusters.forEach(LocalCluster::close);
  }

  private static Action.Launch launch(Offer offer, TaskSpec... tasks) {
    return new Action.Launch(offer.id(), offer.agentId(), List.of(tasks), Duration.ZERO);
  }

  private static void awaitDead(long pid) throws InterruptedException {
    Await.until("process " + pid + " ends", Duration.ofSeconds(5),
        () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  @Timeout(20)
  void subscribesThenOffersAllResourcesOfTheMachine() throws Exception {
    LocalCluster cluster = start(2);
    Event.Subscribed sub = events.next(Event.Subscribed.class, Duration.ofSeconds(5));
    assertThat(sub.frameworkId()).startsWith("local-");
    assertThat(sub.clusterDescription())
        .isEqualTo("local cluster on testhost (2 cpus, 1024 MiB memory), sandboxes in " + runDir);
    assertThat(cluster.description()).isEqualTo(sub.clusterDescription());
    Offer offer = events.nextOffer();
    assertThat(offer.id()).isEqualTo("local-O1");
    assertThat(offer.agentId()).isEqualTo("local-S0");
    assertThat(offer.hostname()).isEqualTo("testhost");
    assertThat(offer.role()).isEqualTo("*");
    assertThat(offer.resources().cpus()).isEqualTo(2.0);
    assertThat(offer.resources().memMb()).isEqualTo(1024.0);
    assertThat(offer.ports()).containsExactly(new PortRange(31000, 32000));
    assertThat(offer.attributes()).isEmpty();
  }

  @Test
  @Timeout(20)
  void runsShellTaskThroughStartingRunningFinishedWithOutputBeforeTheEnd() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("hello.0.1.r",
        shellJob("hello", "echo hello world; echo to-stderr >&2; printf 'no newline'"), offer)));

    List<TaskStatus> updates = events.updatesUntilTerminal("hello.0.1.r");
    assertThat(updates).extracting(TaskStatus::state)
        .containsExactly(TaskState.STARTING, TaskState.RUNNING, TaskState.FINISHED);
    assertThat(updates).allSatisfy(u -> {
      assertThat(u.uuid()).isNotNull();
      assertThat(java.util.Base64.getDecoder().decode(u.uuid())).hasSize(16);
      assertThat(u.agentId()).isEqualTo("local-S0");
    });
    assertThat(updates).extracting(TaskStatus::uuid).doesNotHaveDuplicates();
    TaskStatus end = updates.get(2);
    assertThat(end.exitCode()).isZero();
    assertThat(end.message()).isEqualTo("Command exited with status 0");
    // Everything was taken from the queue in order, so the lines were there before FINISHED.
    assertThat(events.lines("hello.0.1.r", OutputStreamKind.STDOUT))
        .containsExactly("hello world", "no newline");
    assertThat(events.lines("hello.0.1.r", OutputStreamKind.STDERR)).containsExactly("to-stderr");

    assertThat(cluster.unacknowledged()).containsExactlyInAnyOrderElementsOf(
        updates.stream().map(TaskStatus::uuid).toList());
    for (TaskStatus u : updates) {
      cluster.execute(new Action.Acknowledge(u.taskId(), u.agentId(), u.uuid()));
    }
    cluster.execute(new Action.Acknowledge("hello.0.1.r", "local-S0", "AAAAAAAAAAAAAAAAAAAAAA=="));
    assertThat(cluster.unacknowledged()).isEmpty();
  }

  @Test
  @Timeout(20)
  void keepsOutputInSandboxFiles() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("files.0.1.r", shellJob("files", "echo out; echo err >&2"), offer)));
    events.updatesUntilTerminal("files.0.1.r");
    Path sandbox = runDir.resolve("files.0.1.r");
    assertThat(cluster.sandbox("files.0.1.r")).isEqualTo(sandbox);
    assertThat(Files.readString(sandbox.resolve("stdout"))).isEqualTo("out\n");
    assertThat(Files.readString(sandbox.resolve("stderr"))).isEqualTo("err\n");
  }

  @Test
  @Timeout(20)
  void reportsNonZeroExitAsFailedWithItsExitCode() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("fail.0.1.r", shellJob("fail", "exit 3"), offer)));
    TaskStatus end = events.updatesUntilTerminal("fail.0.1.r").get(2);
    assertThat(end.state()).isEqualTo(TaskState.FAILED);
    assertThat(end.exitCode()).isEqualTo(3);
    assertThat(end.message()).isEqualTo("Command exited with status 3");
    assertThat(end.reason()).isNull();
  }

  @Test
  @Timeout(20)
  void runsArgvCommandWithoutShellKeepingSpacesInArguments() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    Job job = job("argv", Command.argv(List.of("printf", "<%s>\\n", "one arg", "two  spaces", "$HOME")), 0.1, 32);
    cluster.execute(launch(offer, task("argv.0.1.r", job, offer)));
    assertThat(events.updatesUntilTerminal("argv.0.1.r")).last()
        .extracting(TaskStatus::state).isEqualTo(TaskState.FINISHED);
    assertThat(events.lines("argv.0.1.r", OutputStreamKind.STDOUT))
        .containsExactly("<one arg>", "<two  spaces>", "<$HOME>");
  }

  @Test
  @Timeout(20)
  void failsWithExitCode127WhenTheProgramDoesNotExist() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    Job job = job("missing", Command.argv(List.of("/nonexistent/command-xyz", "--flag")), 0.1, 32);
    cluster.execute(launch(offer, task("missing.0.1.r", job, offer)));
    TaskStatus end = events.terminalUpdate("missing.0.1.r");
    assertThat(end.state()).isEqualTo(TaskState.FAILED);
    assertThat(end.exitCode()).isEqualTo(127);
    assertThat(end.message()).contains("/nonexistent/command-xyz").contains("No such file");
    assertThat(end.uuid()).isNotNull();
    assertThat(events.lines("missing.0.1.r", OutputStreamKind.STDERR)).singleElement()
        .asString().contains("/nonexistent/command-xyz");
  }

  @Test
  @Timeout(20)
  void givesTheTaskItsEnvironmentAndSandboxAsWorkingDirectory() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    Job job = new Job("envjob", Command.shell(
        "echo \"$RUNNER_JOB $RUNNER_INSTANCE $RUNNER_ATTEMPT $GREETING\"; echo \"$MESOS_TASK_ID\";"
            + " echo \"$MESOS_SANDBOX\"; pwd; echo \"${PATH:+has-path}\""),
        0.1, 32, 0, 0, 0, 1, 1, 0, null, null, Map.of("GREETING", "hi there"), List.of(), "*",
        null, List.of(), null, Map.of());
    TaskSpec spec = task("envjob.0.1.r", job, offer,
        Map.of("RUNNER_JOB", "envjob", "RUNNER_INSTANCE", "0", "RUNNER_ATTEMPT", "1"));
    cluster.execute(launch(offer, spec));
    events.updatesUntilTerminal("envjob.0.1.r");
    String sandbox = runDir.resolve("envjob.0.1.r").toRealPath().toString();
    assertThat(events.lines("envjob.0.1.r", OutputStreamKind.STDOUT)).containsExactly(
        "envjob 0 1 hi there", "envjob.0.1.r", runDir.resolve("envjob.0.1.r").toString(), sandbox,
        "has-path");
  }

  @Test
  @Timeout(20)
  void rejectsTaskThatNeedsMoreThanTheOfferWithoutStartingIt() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    Path marker = runDir.resolve("marker");
    TaskSpec big = task("big.0.1.r", job("big", Command.shell("touch " + marker), 1.5, 32), offer);
    cluster.execute(launch(offer, big));
    TaskStatus s = events.nextUpdate("big.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.ERROR);
    assertThat(s.reason()).isEqualTo("TASK_INVALID");
    assertThat(s.uuid()).isNull();
    assertThat(s.message()).contains("cpus:1.5").contains("more than available").contains("cpus:1;");
    // The offer's resources come back: the task never took them.
    Offer again = events.nextOffer();
    assertThat(again.resources().cpus()).isEqualTo(1.0);
    assertThat(marker).doesNotExist();
    assertThat(runDir.resolve("big.0.1.r")).doesNotExist();
    assertThat(cluster.unacknowledged()).isEmpty();
  }

  @Test
  @Timeout(20)
  void checksTasksOfOneLaunchInOrderAgainstWhatTheEarlierOnesLeft() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      specs.add(task("many." + i + ".1.r", job("many", Command.shell("sleep 0.3"), 0.1, 16), offer));
    }
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), specs, Duration.ofMinutes(1)));
    int errors = 0;
    int finished = 0;
    int maxActive = 0;
    while (errors + finished < 30) {
      Event.StatusUpdate u = events.next(Event.StatusUpdate.class, Duration.ofSeconds(10));
      if (u.status().state() == TaskState.ERROR) {
        errors++;
        assertThat(Integer.parseInt(u.status().taskId().split("\\.")[1])).isGreaterThanOrEqualTo(10);
      } else if (u.status().state() == TaskState.FINISHED) {
        finished++;
      }
      maxActive = Math.max(maxActive, cluster.activeCount());
    }
    assertThat(errors).isEqualTo(20);
    assertThat(finished).isEqualTo(10);
    assertThat(maxActive).isLessThanOrEqualTo(10);
  }

  @Test
  @Timeout(20)
  void dropsTasksLaunchedOnAnUnknownOffer() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    Offer fake = new Offer("local-O999", offer.agentId(), offer.hostname(), "*", offer.resources(),
        offer.ports(), Map.of());
    cluster.execute(launch(fake, task("lost.0.1.r", shellJob("lost", "true"), fake)));
    TaskStatus s = events.nextUpdate("lost.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.DROPPED);
    assertThat(s.reason()).isEqualTo("INVALID_OFFERS");
    assertThat(s.message()).isEqualTo("Task launched with invalid offers: Offer local-O999 is no longer valid");
    assertThat(s.uuid()).isNull();
  }

  @Test
  @Timeout(20)
  void dropsTasksOfASecondLaunchOnTheSameOffer() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("first.0.1.r", shellJob("first", "sleep 0.2"), offer)));
    cluster.execute(launch(offer, task("second.0.1.r", shellJob("second", "true"), offer)));
    TaskStatus s = events.nextUpdate("second.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.DROPPED);
    assertThat(s.reason()).isEqualTo("INVALID_OFFERS");
    assertThat(events.updatesUntilTerminal("first.0.1.r")).last()
        .extracting(TaskStatus::state).isEqualTo(TaskState.FINISHED);
  }

  @Test
  @Timeout(20)
  void offersFreedResourcesPromptlyWhenATaskEnds() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    TaskSpec all = task("all.0.1.r", job("all", Command.shell("sleep 0.2"), 1, 1024), offer);
    cluster.execute(new Action.Launch(offer.id(), offer.agentId(), List.of(all), Duration.ofMinutes(1)));
    assertThat(events.nextUpdate("all.0.1.r").state()).isEqualTo(TaskState.STARTING);
    assertThat(events.offerWithin(Duration.ofMillis(100))).isNull();
    List<TaskStatus> allUpdates = events.updatesUntilTerminal("all.0.1.r");
    TaskStatus end = allUpdates.get(allUpdates.size() - 1);
    long endedAt = System.nanoTime();
    assertThat(end.state()).isEqualTo(TaskState.FINISHED);
    Offer freed = events.offerWithin(Duration.ofSeconds(2));
    long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - endedAt);
    assertThat(freed).isNotNull();
    assertThat(freed.resources().cpus()).isEqualTo(1.0);
    assertThat(freed.resources().memMb()).isEqualTo(1024.0);
    assertThat(latencyMs).isLessThan(1000);
  }

  @Test
  @Timeout(20)
  void declineWithRefuseFilterDelaysTheNextOffer() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    long declinedAt = System.nanoTime();
    cluster.execute(new Action.Decline(List.of(offer.id()), Duration.ofMillis(600)));
    assertThat(events.offerWithin(Duration.ofMillis(300))).isNull();
    Offer again = events.offerWithin(Duration.ofSeconds(3));
    assertThat(again).isNotNull();
    assertThat(again.id()).isNotEqualTo(offer.id());
    assertThat(System.nanoTime() - declinedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(590));
  }

  @Test
  @Timeout(20)
  void refuseFilterFollowsTheInjectedClock() throws Exception {
    FakeClock clock = new FakeClock();
    LocalCluster cluster = new LocalCluster(LocalConfig.defaults(runDir).withCpus(1).withMemMb(64)
        .withHostname("testhost").withClock(clock));
    clusters.add(cluster);
    cluster.start(events);
    Offer offer = events.nextOffer();
    cluster.execute(new Action.Decline(List.of(offer.id()), Duration.ofMillis(300)));
    // Real time passes, the injected clock does not: the filter holds.
    assertThat(events.offerWithin(Duration.ofMillis(800))).isNull();
    clock.advance(Duration.ofSeconds(1));
    assertThat(events.offerWithin(Duration.ofSeconds(2))).isNotNull();
  }

  @Test
  @Timeout(20)
  void suppressStopsOffersAndReviveRestoresThemClearingFilters() throws Exception {
    LocalCluster cluster = start(1);
    Offer offer = events.nextOffer();
    cluster.execute(new Action.Suppress());
    cluster.execute(new Action.Decline(List.of(offer.id()), Duration.ZERO));
    assertThat(events.offerWithin(Duration.ofMillis(400))).isNull();
    cluster.execute(new Action.Revive());
    Offer revived = events.offerWithin(Duration.ofSeconds(2));
    assertThat(revived).isNotNull();

    cluster.execute(new Action.Decline(List.of(revived.id()), Duration.ofHours(1)));
    assertThat(events.offerWithin(Duration.ofMillis(200))).isNull();
    long revivedAt = System.nanoTime();
    cluster.execute(new Action.Revive());
    assertThat(events.offerWithin(Duration.ofSeconds(2))).isNotNull();
    assertThat(System.nanoTime() - revivedAt).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
  }

  @Test
  @Timeout(30)
  void killTerminatesTheWholeProcessTreeIncludingGrandchildren() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    // The task's shell starts a shell that starts a background sleep: a grandchild and deeper.
    String cmd = "sh -c 'sleep 100 & echo $!; wait' & echo $!; sleep 100 & echo $!; wait";
    cluster.execute(launch(offer, task("tree.0.1.r", shellJob("tree", cmd), offer)));
    List<Long> pids = new ArrayList<>();
    while (pids.size() < 3) {
      RecordingListener.Output o = events.next(RecordingListener.Output.class, Duration.ofSeconds(5));
      pids.add(Long.parseLong(o.line().trim()));
    }
    assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isTrue());
    cluster.execute(new Action.Kill("tree.0.1.r", "local-S0"));
    TaskStatus s = events.terminalUpdate("tree.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.KILLED);
    assertThat(s.message()).isEqualTo("Command terminated with signal Terminated");
    assertThat(s.uuid()).isNotNull();
    for (long pid : pids) {
      awaitDead(pid);
      assertThat(alive(pid)).as("pid %d", pid).isFalse();
    }
  }

  @Test
  @Timeout(30)
  void killEscalatesToSigkillAfterTheGracePeriod() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    String cmd = "trap '' TERM; sleep 100 & echo $!; wait";
    cluster.execute(launch(offer, task("stubborn.0.1.r", shellJob("stubborn", cmd), offer)));
    RecordingListener.Output o = events.next(RecordingListener.Output.class, Duration.ofSeconds(5));
    long pid = Long.parseLong(o.line().trim());
    long killedAt = System.nanoTime();
    cluster.execute(new Action.Kill("stubborn.0.1.r", "local-S0"));
    TaskStatus s = events.terminalUpdate("stubborn.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.KILLED);
    assertThat(s.message()).isEqualTo("Command terminated with signal Killed");
    assertThat(System.nanoTime() - killedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(450));
    awaitDead(pid);
    assertThat(alive(pid)).isFalse();
  }

  @Test
  @Timeout(20)
  void killOfAnUnknownTaskAnswersTaskUnknown() throws Exception {
    LocalCluster cluster = start(1);
    events.nextOffer();
    cluster.execute(new Action.Kill("nobody.0.1.r", "local-S0"));
    TaskStatus s = events.nextUpdate("nobody.0.1.r");
    assertThat(s.state()).isEqualTo(TaskState.UNKNOWN);
    assertThat(s.reason()).isEqualTo("RECONCILIATION");
    assertThat(s.uuid()).isNull();
  }

  @Test
  @Timeout(20)
  void reconcilesKnownAndUnknownTasks() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer,
        task("run.0.1.r", shellJob("run", "sleep 100"), offer),
        task("done.0.1.r", shellJob("done", "true"), offer)));
    assertThat(events.updatesUntilTerminal("done.0.1.r")).last()
        .extracting(TaskStatus::state).isEqualTo(TaskState.FINISHED);
    // Reconciliation reports the latest state: wait until the long task is running.
    while (!runningSeen(events, "run.0.1.r")) {
      events.nextUpdate("run.0.1.r");
    }
    cluster.execute(new Action.Reconcile(List.of(
        new Action.TaskRef("run.0.1.r", "local-S0"),
        new Action.TaskRef("done.0.1.r", "local-S0"),
        new Action.TaskRef("ghost.0.1.r", null))));
    TaskStatus run = events.nextUpdate("run.0.1.r");
    while (run.reason() == null) {
      run = events.nextUpdate("run.0.1.r");
    }
    assertThat(run.state()).isEqualTo(TaskState.RUNNING);
    assertThat(run.reason()).isEqualTo("RECONCILIATION");
    assertThat(run.uuid()).isNull();
    TaskStatus done = events.nextUpdate("done.0.1.r");
    assertThat(done.state()).isEqualTo(TaskState.FINISHED);
    assertThat(done.uuid()).isNull();
    TaskStatus ghost = events.nextUpdate("ghost.0.1.r");
    assertThat(ghost.state()).isEqualTo(TaskState.UNKNOWN);
    assertThat(ghost.message()).isEqualTo("Reconciliation: Task is unknown");

    cluster.execute(new Action.Reconcile(List.of()));
    TaskStatus implicit = events.next(Event.StatusUpdate.class, Duration.ofSeconds(5)).status();
    assertThat(implicit.taskId()).isEqualTo("run.0.1.r");
    assertThat(implicit.reason()).isEqualTo("RECONCILIATION");
    Object after = events.poll(Duration.ofMillis(200));
    assertThat(after == null || !(after instanceof Event.StatusUpdate)).as("after: %s", after).isTrue();
  }

  @Test
  @Timeout(30)
  void closeLeavesNoProcessRunningAndIsIdempotent() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer,
        task("c.0.1.r", shellJob("c", "sleep 100 & echo $!; sleep 100 & echo $!; wait"), offer),
        task("c.1.1.r", shellJob("c", "trap '' TERM; sleep 100 & echo $!; wait"), offer)));
    List<Long> pids = new ArrayList<>();
    while (pids.size() < 3) {
      pids.add(Long.parseLong(events.next(RecordingListener.Output.class, Duration.ofSeconds(5)).line().trim()));
    }
    List<ProcessHandle> children = ProcessHandle.current().children().toList();
    assertThat(children).isNotEmpty();
    cluster.close();
    cluster.close();
    for (long pid : pids) {
      assertThat(alive(pid)).as("pid %d", pid).isFalse();
    }
    assertThat(children).noneMatch(ProcessHandle::isAlive);
    // No event after close.
    assertThat(events.poll(Duration.ofMillis(200))).isNull();
  }

  @Test
  @Timeout(30)
  void teardownKillsEverythingAndSendsNoMoreEvents() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("t.0.1.r", shellJob("t", "sleep 100 & echo $!; wait"), offer)));
    long pid = Long.parseLong(events.next(RecordingListener.Output.class, Duration.ofSeconds(5)).line().trim());
    cluster.execute(new Action.Teardown());
    awaitDead(pid);
    assertThat(alive(pid)).isFalse();
    assertThat(events.poll(Duration.ofMillis(300))).isNull();
  }

  @Test
  @Timeout(60)
  void neverRunsMoreThanItOffered() throws Exception {
    LocalCluster cluster = start(1);
    Path running = Files.createDirectories(runDir.resolve("running"));
    Path counts = runDir.resolve("counts");
    String cmd = "touch " + running + "/$MESOS_TASK_ID; ls " + running + " | wc -l >> " + counts
        + "; sleep 0.1; rm " + running + "/$MESOS_TASK_ID";
    Job job = job("par", Command.shell(cmd), 0.1, 16);
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      pending.add("par." + i + ".1.r");
    }
    int finished = 0;
    while (finished < 30) {
      Object o = events.poll(Duration.ofSeconds(10));
      assertThat(o).as("events stalled; seen %s", events.seen).isNotNull();
      if (o instanceof Event.OffersReceived r) {
        Offer offer = r.offers().get(0);
        int fit = (int) Math.round(Math.floor(offer.resources().cpus() / 0.1 + 1e-9));
        List<TaskSpec> specs = new ArrayList<>();
        while (fit-- > 0 && !pending.isEmpty()) {
          specs.add(task(pending.remove(0), job, offer));
        }
        cluster.execute(new Action.Launch(offer.id(), offer.agentId(), specs, Duration.ofMinutes(1)));
      } else if (o instanceof Event.StatusUpdate u && u.status().state().isTerminal()) {
        assertThat(u.status().state()).isEqualTo(TaskState.FINISHED);
        finished++;
      }
    }
    List<Integer> seenCounts = Files.readAllLines(counts).stream().map(String::trim).map(Integer::parseInt).toList();
    assertThat(seenCounts).hasSize(30).allSatisfy(c -> assertThat(c).isBetween(1, 10));
    assertThat(seenCounts).anySatisfy(c -> assertThat(c).isGreaterThan(1));
  }

  @Test
  @Timeout(60)
  void runsManyShortTasksQuickly() throws Exception {
    LocalCluster cluster = start(2);
    Job job = job("quick", Command.shell("true"), 0.1, 16);
    int total = Integer.getInteger("local.bench.tasks", 200);
    int next = 0;
    int finished = 0;
    long startedAt = System.nanoTime();
    while (finished < total) {
      Object o = events.poll(Duration.ofSeconds(10));
      assertThat(o).isNotNull();
      if (o instanceof Event.OffersReceived r) {
        Offer offer = r.offers().get(0);
        int fit = (int) Math.floor(offer.resources().cpus() / 0.1 + 1e-9);
        List<TaskSpec> specs = new ArrayList<>();
        while (fit-- > 0 && next < total) {
          specs.add(task("quick." + next++ + ".1.r", job, offer));
        }
        cluster.execute(new Action.Launch(offer.id(), offer.agentId(), specs, Duration.ofMinutes(1)));
      } else if (o instanceof Event.StatusUpdate u) {
        if (u.status().uuid() != null) {
          cluster.execute(new Action.Acknowledge(u.status().taskId(), u.status().agentId(), u.status().uuid()));
        }
        if (u.status().state().isTerminal()) {
          assertThat(u.status().state()).isEqualTo(TaskState.FINISHED);
          finished++;
        }
      }
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    System.out.printf("local cluster: %d tasks of 'true', 20 at a time, in %d ms (%.2f ms/task)%n",
        total, ms, ms / (double) total);
    assertThat(cluster.unacknowledged()).isEmpty();
  }

  @Test
  @Timeout(20)
  void passesCommandsAndEnvironmentValuesThroughUnchanged() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    String odd = "two\nlines, tab\there, quote' \" $HOME \\ = ; \u00e9\u4e2d";
    Job job = new Job("oddjob", Command.shell("printf '%s|' \"$ODD\"; echo\necho 'second line'"),
        0.1, 32, 0, 0, 0, 1, 1, 0, null, null, Map.of("ODD", odd), List.of(), "*",
        null, List.of(), null, Map.of());
    cluster.execute(launch(offer, task("odd job \u00e9.0.1.r", job, offer)));
    TaskStatus end = events.updatesUntilTerminal("odd job \u00e9.0.1.r").get(2);
    assertThat(end.state()).isEqualTo(TaskState.FINISHED);
    assertThat(events.lines("odd job \u00e9.0.1.r", OutputStreamKind.STDOUT))
        .containsExactly("two", "lines, tab\there, quote' \" $HOME \\ = ; \u00e9\u4e2d|", "second line");
  }

  @Test
  @Timeout(20)
  void startsEveryTaskAsTheLeaderOfItsOwnSession() throws Exception {
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("leader.0.1.r", shellJob("leader", "echo $$; sleep 30"), offer)));
    RecordingListener.Output o = events.next(RecordingListener.Output.class, Duration.ofSeconds(5));
    long pid = Long.parseLong(o.line().trim());
    // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ..."
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(Long.parseLong(fields[2])).as("process group").isEqualTo(pid);
    assertThat(Long.parseLong(fields[3])).as("session").isEqualTo(pid);
    String pidFile = Files.readString(runDir.resolve("leader.0.1.r").resolve(LocalCluster.PID_FILE));
    long started = ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow().toEpochMilli();
    assertThat(pidFile.trim().split(" ")[0]).isEqualTo(Long.toString(pid));
    assertThat(Math.abs(Long.parseLong(pidFile.trim().split(" ")[1]) - started)).isLessThanOrEqualTo(1000);
    cluster.execute(new Action.Kill("leader.0.1.r", "local-S0"));
    assertThat(events.terminalUpdate("leader.0.1.r").state()).isEqualTo(TaskState.KILLED);
  }

  @Test
  @Timeout(20)
  void failsTheTaskWhenItsSandboxCannotBeCreated() throws Exception {
    Files.writeString(runDir.resolve("blocker.0.1.r"), "a file where the sandbox should go");
    LocalCluster cluster = start(2);
    Offer offer = events.nextOffer();
    Job job = job("blocker", Command.argv(List.of("/bin/true")), 0.1, 32);
    cluster.execute(launch(offer, task("blocker.0.1.r", job, offer)));
    TaskStatus end = events.terminalUpdate("blocker.0.1.r");
    assertThat(end.state()).isEqualTo(TaskState.FAILED);
    assertThat(end.exitCode()).isEqualTo(127);
    assertThat(end.message()).startsWith("Failed to start command:").contains("blocker.0.1.r");
  }

  @Test
  @Timeout(20)
  void withoutTailingDeliversNoLinesButKeepsTheOutputInTheSandbox() throws Exception {
    LocalCluster cluster = new LocalCluster(LocalConfig.defaults(runDir).withCpus(2).withMemMb(1024)
        .withDiskMb(1024).withHostname("testhost").withStarter(starter()).withTailOutput(false));
    clusters.add(cluster);
    cluster.start(events);
    Offer offer = events.nextOffer();
    cluster.execute(launch(offer, task("silent.0.1.r", shellJob("silent", "echo out; echo err >&2; exit 3"), offer)));
    TaskStatus end = events.updatesUntilTerminal("silent.0.1.r").get(2);
    assertThat(end.state()).isEqualTo(TaskState.FAILED);
    assertThat(end.exitCode()).isEqualTo(3);
    assertThat(events.lines("silent.0.1.r", OutputStreamKind.STDOUT)).isEmpty();
    assertThat(events.lines("silent.0.1.r", OutputStreamKind.STDERR)).isEmpty();
    assertThat(Files.readString(runDir.resolve("silent.0.1.r").resolve("stdout"))).isEqualTo("out\n");
    assertThat(Files.readString(runDir.resolve("silent.0.1.r").resolve("stderr"))).isEqualTo("err\n");
  }

  private static boolean runningSeen(RecordingListener events, String taskId) {
    synchronized (events.seen) {
      return events.seen.stream().anyMatch(e -> e instanceof Event.StatusUpdate u
          && u.status().taskId().equals(taskId) && u.status().state() == TaskState.RUNNING);
    }
  }

}
