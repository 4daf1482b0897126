package io.mesosrunner.cluster;

import io.mesosrunner.match.Offer;
import java.util.List;

/** What happens to a run: the scheduler's only input. Adapters create these on their threads. */
public sealed interface Event {

  /** Calls the visitor's method for this kind of event: the exhaustive dispatch. */
  void accept(Visitor visitor);

  /**
   * One method per kind of event. A new kind adds a method here, so every dispatch over events
   * stops compiling until it says what the new kind means.
   */
  interface Visitor {
    void subscribed(Subscribed e);
    void offersReceived(OffersReceived e);
    void offerRescinded(OfferRescinded e);
    void statusUpdate(StatusUpdate e);
    void agentLost(AgentLost e);
    void disconnected(Disconnected e);
    void clusterFailed(ClusterFailed e);
    void tick(Tick e);
    void interruptRequested(InterruptRequested e);
  }

  /** The framework is (re)subscribed; the scheduler reconciles what it knows. */
  record Subscribed(String frameworkId, String clusterDescription) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.subscribed(this);
    }
  }

  /** New offers. Every one of them must be answered with a launch or a decline. */
  record OffersReceived(List<Offer> offers) implements Event {
    public OffersReceived {
      offers = List.copyOf(offers);
    }

    @Override
    public void accept(Visitor visitor) {
      visitor.offersReceived(this);
    }
  }

  /** An offer is no longer valid. */
  record OfferRescinded(String offerId) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.offerRescinded(this);
    }
  }

  /** A task changed state. */
  record StatusUpdate(TaskStatus status) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.statusUpdate(this);
    }
  }

  /** An agent is gone (its tasks' updates come separately). */
  record AgentLost(String agentId) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.agentLost(this);
    }
  }

  /** The connection to the cluster dropped; the adapter is reconnecting. Offers are void. */
  record Disconnected(String reason) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.disconnected(this);
    }
  }

  /** The cluster could not be reached or refused the framework, for good. */
  record ClusterFailed(String reason) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.clusterFailed(this);
    }
  }

  /** Time passed; the scheduler reads the injected clock. */
  record Tick() implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.tick(this);
    }
  }

  /** Ctrl-C or SIGTERM: kill what runs, then stop. */
  record InterruptRequested(String why) implements Event {
    @Override
    public void accept(Visitor visitor) {
      visitor.interruptRequested(this);
    }
  }
}
