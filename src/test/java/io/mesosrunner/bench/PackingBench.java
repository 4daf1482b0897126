package io.mesosrunner.bench;

import io.mesosrunner.cluster.mesos.testmaster.AgentSpec;
import io.mesosrunner.cluster.mesos.testmaster.FakeAgent;
import io.mesosrunner.cluster.mesos.testmaster.ReceivedCall;
import io.mesosrunner.cluster.mesos.testmaster.TaskBehaviour;
import io.mesosrunner.cluster.mesos.testmaster.TestMaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Packing speed against a minimal framework ({@code bench/packing.sh}): the runner
 * ({@code java -jar target/runner.jar}) and {@link MinimalPackingFramework}, each a whole JVM
 * started for the run, alternately against one Mesos test master that keeps the real master's
 * timing as recorded in {@code refuse-superset.jsonl}: allocation every second, resources of an
 * ended task offered at the next allocation, a refuse filter holding back only what it contains,
 * 450-900 ms from launch to TASK_RUNNING and {@code sleep 2} ending about 2.16 s after that.
 *
 * <p>Each run is cut into the phases the master sees: start-up (process start to SUBSCRIBE), first
 * OFFERS to first ACCEPT, packing (first ACCEPT to last TASK_FINISHED), last TASK_FINISHED to
 * TEARDOWN, TEARDOWN to process exit; with the refuse filters set after partial fills, the offers'
 * answer times and the agents' {@code /files/read} requests (output polling).
 *
 * <p>Arguments: {@code --rounds N --instances N --agents N --task-ms N --allocation-ms N
 * --step-ms N --runner-jar JAR --framework-cp CP --work DIR --out FILE --runner-arg ARG --smoke}
 * ({@code --runner-arg -v}, repeatable, adds options to the runner's command line; the work
 * directory keeps every run's output).
 */
public final class PackingBench {

  record Params(int rounds, int instances, int agents, long taskMs, long allocationMs, long stepMs,
                Path runnerJar, String frameworkCp, Path work, Path out, List<String> runnerArgs) {}

  /** One run of one contender, cut into phases (milliseconds). */
  record Run(String who, int round, int exit, long totalMs, long startupMs, long offerToAcceptMs, long packingMs,
             long finishedToTeardownMs, long teardownToExitMs, int offers, int accepts, int declines,
             List<Double> partialFillFilters, List<Double> declineFilters, long medianAnswerMs, int fileReads,
             int fileReadsAfterLastFinished, long cpuMs) {}

  private PackingBench() {}

  public static void main(String[] args) throws Exception {
    Params p = parse(args);
    Files.createDirectories(p.work());
    List<Run> runs = new ArrayList<>();
    try (TestMaster master = master(p)) {
      System.out.printf(Locale.ROOT, "test master %s: %d agents x 2 cpus, allocation %d ms, tasks %d ms%n",
          master.uri(), p.agents(), p.allocationMs(), p.taskMs());
      Path job = p.work().resolve("packing.yaml");
      Files.writeString(job, "name: packing\ncommand: sleep 2\ncpus: 0.5\nmem: 32\ninstances: " + p.instances() + "\n");
      String[] order = {"runner", "minimal"};
      for (int round = 0; round < p.rounds(); round++) {
        // Where SUBSCRIBE falls between two allocations decides how long freed resources wait for
        // the next one: the same phase for both in a round, spread over the interval across rounds.
        double fraction = (0.5 + round * 0.6180339887) % 1.0;
        Duration phase = Duration.ofMillis((long) (fraction * p.allocationMs()));
        for (int k = 0; k < order.length; k++) {
          String who = order[(k + round) % order.length];
          master.phaseAllocationsAfterNextSubscribe(phase);
          Run run = runOnce(p, master, who, round, job);
          runs.add(run);
          System.out.printf(Locale.ROOT, "round %d %-7s phase %3d ms exit %d total %5d ms | start-up %4d, offer->accept %4d,"
                  + " packing %5d, finished->teardown %4d, teardown->exit %4d | filters after partial fills %s,"
                  + " declines %s, file reads %d (%d after the last TASK_FINISHED), cpu %d ms%n",
              round, who, phase.toMillis(), run.exit(), run.totalMs(), run.startupMs(), run.offerToAcceptMs(), run.packingMs(),
              run.finishedToTeardownMs(), run.teardownToExitMs(), run.partialFillFilters(), run.declineFilters(),
              run.fileReads(), run.fileReadsAfterLastFinished(), run.cpuMs());
          if (run.exit() != 0) {
            throw new IllegalStateException(who + " exited " + run.exit() + "; its output is in " + p.work());
          }
          Thread.sleep(300);
        }
      }
    }
    String table = table(p, runs);
    System.out.println();
    System.out.println(table);
    if (p.out() != null) {
      Files.createDirectories(p.out().toAbsolutePath().getParent());
      Files.writeString(p.out(), table);
    }
  }

  private static Params parse(String[] args) {
    int rounds = 5;
    int instances = 24;
    int agents = 3;
    long taskMs = 2160;
    long allocationMs = 1000;
    long stepMs = 250;
    Path runnerJar = Path.of("target/runner.jar");
    String cp = null;
    Path work = null;
    Path out = null;
    List<String> runnerArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--instances" -> instances = Integer.parseInt(args[++i]);
        case "--agents" -> agents = Integer.parseInt(args[++i]);
        case "--task-ms" -> taskMs = Long.parseLong(args[++i]);
        case "--allocation-ms" -> allocationMs = Long.parseLong(args[++i]);
        case "--step-ms" -> stepMs = Long.parseLong(args[++i]);
        case "--runner-jar" -> runnerJar = Path.of(args[++i]);
        case "--framework-cp" -> cp = args[++i];
        case "--work" -> work = Path.of(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        case "--runner-arg" -> runnerArgs.add(args[++i]);
        case "--smoke" -> {
          rounds = 1;
          instances = 6;
          taskMs = 200;
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    if (cp == null || work == null) {
      throw new IllegalArgumentException("--framework-cp and --work are required");
    }
    return new Params(rounds, instances, agents, taskMs, allocationMs, stepMs, runnerJar, cp, work, out, runnerArgs);
  }

  private static TestMaster master(Params p) {
    TestMaster master = TestMaster.builder()
        .allocationInterval(Duration.ofMillis(p.allocationMs()))
        .stepDelay(Duration.ofMillis(p.stepMs()))
        .behaviours(t -> TaskBehaviour.finishAfter(Duration.ofMillis(p.taskMs())))
        .build().start();
    for (int i = 0; i < p.agents(); i++) {
      // The agent of refuse-superset.jsonl: cpus 2, mem 2048, disk 4096.
      master.addAgent(AgentSpec.standard().withResources(2, 2048, 4096));
    }
    return master;
  }

  private static Run runOnce(Params p, TestMaster master, String who, int round, Path job) throws Exception {
    Path log = p.work().resolve(who + "-" + round + ".log");
    Path cpuFile = p.work().resolve(who + "-" + round + ".cpu");
    List<String> cmd = new ArrayList<>();
    // CPU seconds (user + system) of the whole process: what a loaded machine stretches.
    if (Files.isExecutable(TIME)) cmd.addAll(List.of(TIME.toString(), "-o", cpuFile.toString(), "-f", "%U %S"));
    cmd.add("java");
    if (who.equals("runner")) {
      Path state = Files.createTempDirectory(p.work(), "state-");
      cmd.addAll(List.of("-jar", p.runnerJar().toString(), "run", job.toString(), "--master", master.uri().toString(),
          "--state-dir", state.toString()));
      cmd.addAll(p.runnerArgs());
    } else {
      cmd.addAll(List.of("-Dcom.google.protobuf.use_unsafe_pre22_gencode=true", "-cp", p.frameworkCp(),
          MinimalPackingFramework.class.getName(), master.uri().toString(), Integer.toString(p.instances()), "0.5",
          "32", "sleep 2"));
    }
    int callsBefore = master.calls().size();
    int eventsBefore = master.sentEvents().size();
    Map<FakeAgent, Integer> readsBefore = new HashMap<>();
    master.agents().forEach(a -> readsBefore.put(a, a.fileReadTimes().size()));
    Instant start = Instant.now();
    Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!proc.waitFor(10, TimeUnit.MINUTES)) {
      proc.destroyForcibly();
      throw new IllegalStateException(who + " did not end within 10 minutes; see " + log);
    }
    Instant end = Instant.now();
    List<ReceivedCall> calls = master.calls().subList(callsBefore, master.calls().size());
    List<TestMaster.SentEvent> events = master.sentEvents().subList(eventsBefore, master.sentEvents().size());

    Instant subscribe = first(calls, Call.Type.SUBSCRIBE).at();
    Instant teardown = first(calls, Call.Type.TEARDOWN).at();
    Instant firstAccept = first(calls, Call.Type.ACCEPT).at();
    Instant firstOffers = events.stream().filter(e -> e.event().getType() == Event.Type.OFFERS).findFirst()
        .orElseThrow().at();
    Instant lastFinished = events.stream().filter(e -> e.event().getType() == Event.Type.UPDATE
        && e.event().getUpdate().getStatus().getState() == TaskState.TASK_FINISHED).reduce((a, b) -> b)
        .orElseThrow().at();

    Map<String, Double> offerCpus = new HashMap<>();
    Map<String, Instant> offerSent = new HashMap<>();
    int offers = 0;
    for (TestMaster.SentEvent e : events) {
      if (e.event().getType() == Event.Type.OFFERS) {
        for (Offer o : e.event().getOffers().getOffersList()) {
          offers++;
          offerCpus.put(o.getId().getValue(), cpus(o.getResourcesList()));
          offerSent.put(o.getId().getValue(), e.at());
        }
      }
    }
    List<Double> partial = new ArrayList<>();
    List<Double> declines = new ArrayList<>();
    List<Long> answers = new ArrayList<>();
    int accepts = 0;
    for (ReceivedCall c : calls) {
      if (c.call().isEmpty()) continue;
      Call call = c.call().get();
      if (call.getType() == Call.Type.ACCEPT) {
        accepts++;
        double used = 0;
        for (Offer.Operation op : call.getAccept().getOperationsList()) {
          for (TaskInfo t : op.getLaunch().getTaskInfosList()) used += cpus(t.getResourcesList());
        }
        double had = call.getAccept().getOfferIdsList().stream()
            .mapToDouble(id -> offerCpus.getOrDefault(id.getValue(), 0.0)).sum();
        if (had - used > 1e-9) {
          partial.add(call.getAccept().getFilters().hasRefuseSeconds()
              ? call.getAccept().getFilters().getRefuseSeconds() : 5.0);
        }
        call.getAccept().getOfferIdsList().forEach(id -> answer(answers, offerSent, id.getValue(), c.at()));
      } else if (call.getType() == Call.Type.DECLINE) {
        declines.add(call.getDecline().getFilters().hasRefuseSeconds()
            ? call.getDecline().getFilters().getRefuseSeconds() : 5.0);
        call.getDecline().getOfferIdsList().forEach(id -> answer(answers, offerSent, id.getValue(), c.at()));
      }
    }
    int reads = 0;
    int readsAfter = 0;
    for (FakeAgent a : master.agents()) {
      List<Long> times = a.fileReadTimes();
      for (long t : times.subList(readsBefore.getOrDefault(a, 0), times.size())) {
        reads++;
        if (t > lastFinished.toEpochMilli()) readsAfter++;
      }
    }
    answers.sort(null);
    return new Run(who, round, proc.exitValue(), ms(start, end), ms(start, subscribe), ms(firstOffers, firstAccept),
        ms(firstAccept, lastFinished), ms(lastFinished, teardown), ms(teardown, end), offers, accepts, declines.size(),
        partial, declines, answers.isEmpty() ? 0 : answers.get(answers.size() / 2), reads, readsAfter, cpuMs(cpuFile));
  }

  private static final Path TIME = Path.of("/usr/bin/time");

  /** User plus system CPU of a run, from /usr/bin/time's last line; -1 when not measured. */
  private static long cpuMs(Path file) throws java.io.IOException {
    if (!Files.exists(file)) return -1;
    List<String> lines = Files.readAllLines(file);
    String[] f = lines.get(lines.size() - 1).trim().split("\\s+");
    return Math.round((Double.parseDouble(f[0]) + Double.parseDouble(f[1])) * 1000);
  }

  private static void answer(List<Long> answers, Map<String, Instant> sent, String offerId, Instant at) {
    Instant s = sent.get(offerId);
    if (s != null) answers.add(ms(s, at));
  }

  private static ReceivedCall first(List<ReceivedCall> calls, Call.Type type) {
    return calls.stream().filter(c -> c.is(type)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + type + " in the run"));
  }

  private static double cpus(List<Resource> resources) {
    return resources.stream().filter(r -> r.getName().equals("cpus")).mapToDouble(r -> r.getScalar().getValue()).sum();
  }

  private static long ms(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.isEmpty() ? 0 : s.get(s.size() / 2);
  }

  private static String table(Params p, List<Run> runs) {
    Map<String, List<Run>> by = new LinkedHashMap<>();
    runs.forEach(r -> by.computeIfAbsent(r.who(), k -> new ArrayList<>()).add(r));
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%d instances of `sleep 2` (0.5 cpus, 32 MiB) on %d agents x 2 cpus, "
        + "allocation every %d ms, tasks end %d ms after TASK_RUNNING, %d rounds (medians, ms)%n%n",
        p.instances(), p.agents(), p.allocationMs(), p.taskMs(), p.rounds()));
    sb.append("| contender | total | start-up to SUBSCRIBE | first OFFERS to first ACCEPT | first ACCEPT to last "
        + "TASK_FINISHED | last TASK_FINISHED to TEARDOWN | TEARDOWN to exit | offers / accepts / declines | "
        + "filters after partial fills (s) | offer answer time | /files/read (after last finish) | CPU (user+sys) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map.Entry<String, List<Run>> e : by.entrySet()) {
      List<Run> rs = e.getValue();
      Run last = rs.get(rs.size() - 1);
      sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d / %d / %d | %s | %d | %d (%d) | %d |%n",
          e.getKey(), median(rs.stream().map(Run::totalMs).toList()), median(rs.stream().map(Run::startupMs).toList()),
          median(rs.stream().map(Run::offerToAcceptMs).toList()), median(rs.stream().map(Run::packingMs).toList()),
          median(rs.stream().map(Run::finishedToTeardownMs).toList()),
          median(rs.stream().map(Run::teardownToExitMs).toList()), last.offers(), last.accepts(), last.declines(),
          last.partialFillFilters(), median(rs.stream().map(Run::medianAnswerMs).toList()), last.fileReads(),
          last.fileReadsAfterLastFinished(), median(rs.stream().map(Run::cpuMs).toList())));
    }
    List<Long> runner = by.getOrDefault("runner", List.of()).stream().map(Run::totalMs).toList();
    List<Long> minimal = by.getOrDefault("minimal", List.of()).stream().map(Run::totalMs).toList();
    if (!runner.isEmpty() && !minimal.isEmpty()) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < Math.min(runner.size(), minimal.size()); i++) ratios.add((double) runner.get(i) / minimal.get(i));
      ratios.sort(null);
      sb.append(String.format(Locale.ROOT, "%n**runner / minimal: %.2fx** (median of the per-round ratios; range %.2f-%.2f)%n",
          ratios.get(ratios.size() / 2), ratios.get(0), ratios.get(ratios.size() - 1)));
      long cpuRunner = median(by.get("runner").stream().map(Run::cpuMs).toList());
      long cpuMinimal = median(by.get("minimal").stream().map(Run::cpuMs).toList());
      if (cpuRunner > 0 && cpuMinimal > 0) {
        sb.append(String.format(Locale.ROOT, "%nCPU per run (user + system, medians): runner %d ms, minimal %d ms (%.1fx)."
            + " Load average at the end: %s%n", cpuRunner, cpuMinimal, (double) cpuRunner / cpuMinimal, loadAverage()));
      }
    }
    return sb.toString();
  }
}
