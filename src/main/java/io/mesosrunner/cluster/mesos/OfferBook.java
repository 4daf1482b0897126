package io.mesosrunner.cluster.mesos;

import io.mesosrunner.match.Offer;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.mesos.v1.Protos;

/**
 * The offers we hold: each kept, with the event stream it came on, from its OFFERS event until
 * it is launched on, declined, rescinded, or its stream ends (a master drops a framework's
 * offers when its stream ends). Also the agents' HTTP addresses, learnt from their offers.
 *
 * <p>Threads: the subscription thread adds offers, rescinds them and ends streams; the
 * scheduler's thread (through {@link MesosCluster#execute}) takes and declines them. Removal is
 * atomic, so an offer is taken at most once; the agent addresses are written by the
 * subscription thread only.
 */
final class OfferBook {

  static {
    ProtobufSetup.ensure();
  }

  /** An offer as received; {@code stream} is the id of the event stream it came on. */
  record HeldOffer(Protos.Offer proto, Offer offer, URI agentBase, String stream) {}

  private final Map<String, HeldOffer> offers = new ConcurrentHashMap<>();
  private final Map<String, URI> agentUrls = new ConcurrentHashMap<>();

  /** Subscription thread: an offer arrived on {@code stream}. */
  void add(Protos.Offer proto, Offer offer, URI agentBase, String stream) {
    offers.put(offer.id(), new HeldOffer(proto, offer, agentBase, stream));
    if (agentBase != null) {
      agentUrls.put(offer.agentId(), agentBase);
    }
  }

  /** Subscription thread: the master took an offer back. */
  void rescind(String offerId) {
    offers.remove(offerId);
  }

  /** Subscription thread: {@code stream} ended, and the master dropped its offers with it. */
  void streamEnded(String stream) {
    offers.values().removeIf(o -> o.stream().equals(stream));
  }

  /** Takes an offer to launch on; null when it is no longer held. */
  HeldOffer take(String offerId) {
    return offers.remove(offerId);
  }

  /** Forgets offers being declined. */
  void decline(Collection<String> offerIds) {
    offerIds.forEach(offers::remove);
  }

  /** The HTTP address of an agent, from the last offer that named one; null if none did. */
  URI agentBase(String agentId) {
    return agentUrls.get(agentId);
  }

  void clear() {
    offers.clear();
  }
}
