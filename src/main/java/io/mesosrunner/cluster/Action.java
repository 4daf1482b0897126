package io.mesosrunner.cluster;

import java.time.Duration;
import java.util.List;

/** What the scheduler asks the cluster to do: its only output. */
public sealed interface Action {

  /** Calls the visitor's method for this kind of action: the exhaustive dispatch. */
  void accept(Visitor visitor);

  /**
   * One method per kind of action. A new kind adds a method here, so every dispatch over actions
   * stops compiling until it says what the new kind means.
   */
  interface Visitor {
    void launch(Launch e);
    void decline(Decline e);
    void kill(Kill e);
    void acknowledge(Acknowledge e);
    void reconcile(Reconcile e);
    void suppress(Suppress e);
    void revive(Revive e);
    void teardown(Teardown e);
  }

  /** Launch tasks on one offer (all from that offer); the rest of the offer is declined. */
  record Launch(String offerId, String agentId, List<TaskSpec> tasks, Duration refuseRest) implements Action {
    public Launch {
      tasks = List.copyOf(tasks);
    }

    @Override
    public void accept(Visitor visitor) {
      visitor.launch(this);
    }
  }

  /** Decline offers, refusing their resources for {@code refuse}. */
  record Decline(List<String> offerIds, Duration refuse) implements Action {
    public Decline {
      offerIds = List.copyOf(offerIds);
    }

    @Override
    public void accept(Visitor visitor) {
      visitor.decline(this);
    }
  }

  /** Kill a task. */
  record Kill(String taskId, String agentId) implements Action {
    @Override
    public void accept(Visitor visitor) {
      visitor.kill(this);
    }
  }

  /** Acknowledge an update that carried a uuid; sent only after its state change is recorded. */
  record Acknowledge(String taskId, String agentId, String uuid) implements Action {
    @Override
    public void accept(Visitor visitor) {
      visitor.acknowledge(this);
    }
  }

  /** Ask for the latest state of these tasks; an empty list asks about all (implicit). */
  record Reconcile(List<TaskRef> tasks) implements Action {
    public Reconcile {
      tasks = List.copyOf(tasks);
    }

    @Override
    public void accept(Visitor visitor) {
      visitor.reconcile(this);
    }
  }

  /** A task known to the scheduler, for reconciliation. */
  record TaskRef(String taskId, String agentId) {}

  /** Stop sending offers: nothing is pending. */
  record Suppress() implements Action {
    @Override
    public void accept(Visitor visitor) {
      visitor.suppress(this);
    }
  }

  /** Send offers again: something is pending. Clears refuse filters. */
  record Revive() implements Action {
    @Override
    public void accept(Visitor visitor) {
      visitor.revive(this);
    }
  }

  /** The run is over: remove the framework (kills anything left). */
  record Teardown() implements Action {
    @Override
    public void accept(Visitor visitor) {
      visitor.teardown(this);
    }
  }
}
