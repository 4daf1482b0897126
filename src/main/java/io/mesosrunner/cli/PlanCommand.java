package io.mesosrunner.cli;

import io.mesosrunner.cluster.Cluster;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.job.Job;
import io.mesosrunner.match.Demand;
import io.mesosrunner.match.MatchResult;
import io.mesosrunner.match.OfferMatcher;
import io.mesosrunner.match.Offer;
import io.mesosrunner.match.Placement;
import io.mesosrunner.match.PortRange;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code runner plan JOBFILE --master URL}: subscribes, shows how the current offers would be
 * used (how many instances on which agents, and for offers that cannot take one, the shortfall in
 * numbers), declines them and tears the framework down. Launches nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Show how the cluster's current offers would be used by a job; launch nothing.",
        "No --master (nor RUNNER_MASTER, MESOS_MASTER): it plans on the local cluster."})
final class PlanCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "JOBFILE", description = "The job file (YAML).")
  Path jobFile;

  @Mixin ClusterOptions where;

  @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "15s",
      description = "How long to wait for the first offers (default: ${DEFAULT-VALUE}).")
  String waitText;

  private final CliContext ctx;

  PlanCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    JobFiles.Loaded loaded = JobFiles.load(jobFile, ctx);
    if (loaded == null) return ExitCode.USAGE;
    io.mesosrunner.job.Pipeline pipeline = where.applyTo(loaded.pipeline());
    Job job = pipeline.summary();
    Duration wait;
    ClusterWiring.Opened opened;
    try {
      wait = parseWait();
      opened = ClusterWiring.open(where, job, jobFile.toString(), jobFile, where.stateDir(jobFile, ctx),
          "plan" + RunFiles.newRunId().substring(0, 4), null, false, null, ctx);
    } catch (ClusterOptions.BadOptionException e) {
      ctx.err().println("runner: " + e.getMessage());
      return ExitCode.USAGE;
    }
    try (Cluster cluster = opened.cluster()) {
      BlockingQueue<Event> events = new LinkedBlockingQueue<>();
      cluster.start(ClusterListener.eventsInto(events));
      List<Offer> offers = new ArrayList<>();
      String description = cluster.description();
      long end = System.nanoTime() + wait.toNanos();
      long settle = Long.MAX_VALUE;
      while (System.nanoTime() < Math.min(end, settle)) {
        Event e = events.poll(50, TimeUnit.MILLISECONDS);
        if (e instanceof Event.ClusterFailed f) {
          ctx.err().println("runner: " + f.reason());
          return ExitCode.CLUSTER;
        } else if (e instanceof Event.Subscribed s) {
          description = s.clusterDescription();
        } else if (e instanceof Event.OffersReceived o) {
          offers.addAll(o.offers());
          // Agents' offers come in separate events: collect for a moment after the first.
          if (settle == Long.MAX_VALUE) settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        } else if (e instanceof Event.OfferRescinded r) {
          offers.removeIf(o -> o.id().equals(r.offerId()));
        }
      }
      // A plan launches nothing, so the local cluster's sandbox directory is never made: not named.
      int startable = print(pipeline, description.replaceFirst(", sandboxes in .*$", ""), offers);
      if (!offers.isEmpty()) {
        // Refused for a while, so they are not offered to us again before the teardown lands.
        cluster.execute(new Action.Decline(offers.stream().map(Offer::id).toList(), Duration.ofMinutes(1)));
      }
      cluster.execute(new Action.Teardown());
      // Nothing could start on what the cluster offers: a script asking "would it run?" hears no.
      return startable == 0 ? ExitCode.FAILED : ExitCode.OK;
    }
  }

  private Duration parseWait() throws ClusterOptions.BadOptionException {
    try {
      return io.mesosrunner.job.Durations.parse(waitText);
    } catch (IllegalArgumentException e) {
      throw new ClusterOptions.BadOptionException("--wait: " + e.getMessage());
    }
  }

  /**
   * Prints the plan; returns how many instances would start now. For a pipeline, the steps in
   * dependency order, then what the offers could take of the steps ready at the start (those
   * that need none), each within its parallelism, in one matcher pass as the run does.
   */
  private int print(io.mesosrunner.job.Pipeline pipeline, String cluster, List<Offer> offers) {
    Job job = pipeline.summary();
    List<Demand> demands = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    for (io.mesosrunner.job.Step step : pipeline.steps()) {
      if (!step.needs().isEmpty()) continue;
      Job j = step.job();
      ready.add(step.name());
      Resources need = new Resources(j.cpus(), j.memMb(), j.diskMb(), j.gpus());
      for (int i = 0; i < Math.min(j.instances(), j.parallelism()); i++) {
        demands.add(new Demand(step.name() + "/" + i, j.role(), need, j.ports(), j.constraints()));
      }
    }
    int want = demands.size();
    ctx.out().println("plan for " + job.name() + " on " + cluster + ":");
    if (!pipeline.single()) {
      StringBuilder steps = new StringBuilder("  steps in dependency order:");
      String sep = " ";
      for (io.mesosrunner.job.Step step : pipeline.steps()) {
        steps.append(sep).append(step.name()).append(" (").append(step.size()).append(step.size() == 1 ? " instance" : " instances")
            .append(step.needs().isEmpty() ? ", ready at the start" : ", after " + String.join(" and ", step.needs())).append(')');
        sep = ", ";
      }
      ctx.out().println(steps);
    }
    if (offers.isEmpty()) {
      ctx.out().println("  no offers arrived: the cluster has no free resources for role " + job.role()
          + " (or other frameworks hold them)");
      ctx.out().println("0 of " + want + " instances would start now; nothing launched");
      return 0;
    }
    MatchResult result = OfferMatcher.match(offers, demands, List.of());
    Map<String, Integer> placed = new LinkedHashMap<>();
    for (Placement p : result.placements()) placed.merge(p.offer().id(), 1, Integer::sum);
    for (Offer o : offers) {
      int n = placed.getOrDefault(o.id(), 0);
      StringBuilder line = new StringBuilder("  ").append(o.hostname()).append(" (agent ").append(o.agentId())
          .append(", role ").append(o.role()).append(", offer: ").append(describe(o)).append("): ");
      if (n > 0) {
        line.append(n).append(n == 1 ? " instance" : " instances");
      } else {
        MatchResult alone = OfferMatcher.match(List.of(o), demands.subList(0, 1), List.of());
        line.append("none").append(alone.unplaced().isEmpty() ? " (the others were placed first)"
            : ": " + alone.unplaced().get(0).reason());
      }
      ctx.out().println(line);
    }
    int start = result.placements().size();
    String tail = start < want && !result.unplaced().isEmpty() ? "; the rest would wait: " + result.unplaced().get(0).reason() : "";
    String which = pipeline.single() ? (want < job.instances() ? " (parallelism " + job.parallelism() + " of "
        + job.instances() + ")" : "") : " of the steps ready at the start (" + String.join(", ", ready) + ")";
    ctx.out().println(start + " of " + want + " instances would start now" + which + tail + "; nothing launched");
    return start;
  }

  private static String describe(Offer o) {
    Resources r = o.resources();
    long ports = o.ports().stream().mapToLong(PortRange::size).sum();
    return String.format(Locale.ROOT, "%s cpus, %s MiB mem, %s MiB disk%s, %d ports", JobText.num(r.cpus()),
        JobText.num(r.memMb()), JobText.num(r.diskMb()), r.gpus() > 0 ? ", " + JobText.num(r.gpus()) + " gpus" : "", ports);
  }
}
