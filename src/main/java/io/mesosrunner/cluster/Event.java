package io.mesosrunner.cluster;

import io.mesosrunner.match.Offer;
import java.util.List;

/** What happens to a run: the scheduler's only input. Adapters create these on their threads. */
public sealed interface Event {

  /** The framework is (re)subscribed; the scheduler reconciles what it knows. */
  record Subscribed(String frameworkId, String clusterDescription) implements Event {}

  /** New offers. Every one of them must be answered with a launch or a decline. */
  record OffersReceived(List<Offer> offers) implements Event {
    public OffersReceived {
      offers = List.copyOf(offers);
    }
  }

  /** An offer is no longer valid. */
  record OfferRescinded(String offerId) implements Event {}

  /** A task changed state. */
  record StatusUpdate(TaskStatus status) implements Event {}

  /** An agent is gone (its tasks' updates come separately). */
  record AgentLost(String agentId) implements Event {}

  /** The connection to the cluster dropped; the adapter is reconnecting. Offers are void. */
  record Disconnected(String reason) implements Event {}

  /** The cluster could not be reached or refused the framework, for good. */
  record ClusterFailed(String reason) implements Event {}

  /** Time passed; the scheduler reads the injected clock. */
  record Tick() implements Event {}

  /** Ctrl-C or SIGTERM: kill what runs, then stop. */
  record InterruptRequested(String why) implements Event {}
}
