package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Action;
import io.mesosrunner.cluster.ClusterAdmin;
import io.mesosrunner.cluster.ClusterListener;
import io.mesosrunner.cluster.Event;
import io.mesosrunner.match.Offer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Mesos side of {@link ClusterAdmin}, for one recorded run's framework: output is read from the
 * agents' {@code /files/read} ({@link AgentSandboxFiles}), tasks from the master's {@code GET
 * /master/tasks} ({@link MasterTasks}); neither subscribes. Tearing down does: it subscribes as the
 * framework (declining what it is offered meanwhile) and sends {@code TEARDOWN}, which kills the
 * framework's tasks.
 */
public final class MesosRunAdmin implements ClusterAdmin {

  private static final Set<String> TERMINAL = Set.of("TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
      "TASK_ERROR", "TASK_LOST", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN");
  private static final long TEARDOWN_PATIENCE_SECONDS = 60;

  private final MesosConfig config;
  private final String runId;
  private final String recordedAs;
  private AgentSandboxFiles files;

  /**
   * @param config how to reach the master, with the run's framework id (null when it never
   *               registered one) and the framework name to subscribe with when tearing down
   * @param runId      the run, as messages name it
   * @param recordedAs the master as the run recorded it, as messages name it
   */
  public MesosRunAdmin(MesosConfig config, String runId, String recordedAs) {
    this.config = config;
    this.runId = runId;
    this.recordedAs = recordedAs;
  }

  @Override
  public byte[] readOutput(RecordedTask task, String fileName, long offset) throws IOException, InterruptedException {
    if (task.agentId() == null || config.frameworkId() == null) return null;
    if (files == null) files = new AgentSandboxFiles(config);
    return files.read(task.agentId(), config.frameworkId(), task.taskId(), fileName, offset);
  }

  @Override
  public String whyNoOutput(RecordedTask task, String fileName) {
    if (task.agentId() == null) return "attempt " + task.attempt() + " of instance " + task.instance()
        + " (" + task.taskId() + ") was never placed on an agent";
    String where = "no " + fileName + " of " + task.taskId() + " (attempt " + task.attempt() + " of instance "
        + task.instance() + ") on agent " + task.agentId() + (task.hostname() == null ? "" : " (" + task.hostname() + ")");
    if (files != null && files.unknownAgent(task.agentId())) {
      return where + ": the master no longer lists the agent (it stopped or became unreachable)";
    }
    return where + ": the agent has garbage-collected the sandbox, or the agent is gone";
  }

  /** The command executor writes its own lines into the task's stderr; a run leaves them out. */
  @Override
  public boolean filtersOutput(String fileName) {
    return fileName.equals("stderr");
  }

  @Override
  public boolean isClusterLine(String fileName, byte[] line) {
    return fileName.equals("stderr") && AgentSandboxFiles.isExecutorLine(line);
  }

  @Override
  public List<KnownTask> tasks() throws IOException, InterruptedException {
    if (config.frameworkId() == null) return List.of();
    List<KnownTask> out = new ArrayList<>();
    for (MasterTasks.Task t : MasterTasks.of(config, config.frameworkId())) {
      out.add(new KnownTask(t.id(), t.state(), t.agentId(), TERMINAL.contains(t.state())));
    }
    return out;
  }

  @Override
  public TearDown tearDown(List<RecordedTask> unsettled) throws InterruptedException {
    String on = recordedAs;
    if (config.frameworkId() == null) {
      return new TearDown.Done("run " + runId + " never registered a framework on " + on + "; nothing of it runs there");
    }
    String failed = subscribeAndTearDown();
    if (failed == null) return new TearDown.Done("tore down framework " + config.frameworkId() + " of run " + runId + " on " + on);
    String byHand = config.master() instanceof MasterAddress.Http http
        ? "curl -X POST " + http.baseUri() + "/master/teardown -d frameworkId=" + config.frameworkId() : null;
    return new TearDown.NotDone("cannot tear its framework down on " + on + " (" + failed + ")", byHand);
  }

  /** Null when the master took the TEARDOWN, else why not. */
  private String subscribeAndTearDown() throws InterruptedException {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    try (MesosCluster cluster = new MesosCluster(config.toBuilder().tailOutput(false).build())) {
      cluster.start(ClusterListener.eventsInto(events));
      long end = config.clock().millis() + TimeUnit.SECONDS.toMillis(TEARDOWN_PATIENCE_SECONDS);
      while (config.clock().millis() < end) {
        Event e = events.poll(100, TimeUnit.MILLISECONDS);
        if (e instanceof Event.ClusterFailed f) return f.reason();
        if (e instanceof Event.OffersReceived o) {
          cluster.execute(new Action.Decline(o.offers().stream().map(Offer::id).toList(), Duration.ofMinutes(1)));
        }
        if (e instanceof Event.Subscribed) {
          cluster.execute(new Action.Teardown());
          return null;
        }
      }
      return "the master did not answer within " + TEARDOWN_PATIENCE_SECONDS + "s";
    }
  }

  @Override
  public void close() {
    if (files != null) files.close();
    files = null;
  }
}
