package io.mesosrunner.cluster;

import java.time.Duration;
import java.util.List;

/** What the scheduler asks the cluster to do: its only output. */
public sealed interface Action {

  /** Launch tasks on one offer (all from that offer); the rest of the offer is declined. */
  record Launch(String offerId, String agentId, List<TaskSpec> tasks, Duration refuseRest) implements Action {
    public Launch {
      tasks = List.copyOf(tasks);
    }
  }

  /** Decline offers, refusing their resources for {@code refuse}. */
  record Decline(List<String> offerIds, Duration refuse) implements Action {
    public Decline {
      offerIds = List.copyOf(offerIds);
    }
  }

  /** Kill a task. */
  record Kill(String taskId, String agentId) implements Action {}

  /** Acknowledge an update that carried a uuid; sent only after its state change is recorded. */
  record Acknowledge(String taskId, String agentId, String uuid) implements Action {}

  /** Ask for the latest state of these tasks; an empty list asks about all (implicit). */
  record Reconcile(List<TaskRef> tasks) implements Action {
    public Reconcile {
      tasks = List.copyOf(tasks);
    }
  }

  /** A task known to the scheduler, for reconciliation. */
  record TaskRef(String taskId, String agentId) {}

  /** Stop sending offers: nothing is pending. */
  record Suppress() implements Action {}

  /** Send offers again: something is pending. Clears refuse filters. */
  record Revive() implements Action {}

  /** The run is over: remove the framework (kills anything left). */
  record Teardown() implements Action {}
}
