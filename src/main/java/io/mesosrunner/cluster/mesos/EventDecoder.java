package io.mesosrunner.cluster.mesos;

import io.mesosrunner.cluster.Event;
import io.mesosrunner.cluster.TaskStatus;
import io.mesosrunner.match.Offer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the scheduler events of an open stream (all but SUBSCRIBED, HEARTBEAT and ERROR, which
 * {@link StreamAttempt} takes) into our {@link Event}s through {@link OfferTranslator}, keeps the
 * {@link OfferBook}, tells the {@link AgentFileTailer} when a task ends, and answers what needs an
 * answer of its own (inverse offers are declined, operation updates acknowledged).
 *
 * <p>Threads: called on the subscription thread only; holds no state of its own.
 */
final class EventDecoder {

  static {
    ProtobufSetup.ensure();
  }

  private static final Logger log = LoggerFactory.getLogger(EventDecoder.class);

  private final OfferBook offers;
  private final AgentFileTailer tailer;
  private final CallDispatcher calls;
  private final Consumer<Event> emit;

  /** {@code tailer} may be null (output not tailed). */
  EventDecoder(OfferBook offers, AgentFileTailer tailer, CallDispatcher calls, Consumer<Event> emit) {
    this.offers = offers;
    this.tailer = tailer;
    this.calls = calls;
    this.emit = emit;
  }

  /** Handles one event that came on stream {@code streamId} of framework {@code frameworkId}. */
  void apply(org.apache.mesos.v1.scheduler.Protos.Event event, String frameworkId, String streamId) {
    switch (event.getType()) {
      case OFFERS -> offers(event.getOffers().getOffersList(), streamId);
      case INVERSE_OFFERS -> {
        List<Protos.OfferID> ids = new ArrayList<>();
        event.getInverseOffers().getInverseOffersList().forEach(io -> ids.add(io.getId()));
        if (!ids.isEmpty()) {
          log.info("declining {} inverse offer(s) (maintenance)", ids.size());
          calls.send(Calls.declineInverseOffers(frameworkId, ids));
        }
      }
      case RESCIND -> {
        String id = event.getRescind().getOfferId().getValue();
        offers.rescind(id);
        emit.accept(new Event.OfferRescinded(id));
      }
      case RESCIND_INVERSE_OFFER -> log.debug("inverse offer rescinded: {}",
          event.getRescindInverseOffer().getInverseOfferId().getValue());
      case UPDATE -> {
        TaskStatus status = OfferTranslator.toStatus(event.getUpdate().getStatus());
        if (tailer != null && status.state().isTerminal()) {
          tailer.terminal(status.taskId());
        }
        emit.accept(new Event.StatusUpdate(status));
      }
      case UPDATE_OPERATION_STATUS -> operationStatus(event.getUpdateOperationStatus().getStatus(), frameworkId);
      case MESSAGE -> {
        var m = event.getMessage();
        log.info("message from executor {} on agent {} ({} bytes)", m.getExecutorId().getValue(),
            m.getAgentId().getValue(), m.getData().size());
      }
      case FAILURE -> failure(event.getFailure());
      default -> log.debug("ignoring event of type {}", event.getType());
    }
  }

  private void offers(List<Protos.Offer> received, String streamId) {
    List<Offer> ours = new ArrayList<>(received.size());
    for (Protos.Offer o : received) {
      Offer offer = OfferTranslator.toOffer(o);
      URI agent = OfferTranslator.agentBase(o);
      offers.add(o, offer, agent, streamId);
      ours.add(offer);
    }
    if (!ours.isEmpty()) {
      emit.accept(new Event.OffersReceived(ours));
    }
  }

  private void operationStatus(Protos.OperationStatus s, String frameworkId) {
    if (s.hasUuid() && s.hasAgentId()) {
      calls.send(Calls.acknowledgeOperationStatus(frameworkId, s));
    } else {
      log.info("operation {} is {}{}", s.getOperationId().getValue(), s.getState(),
          s.hasMessage() ? ": " + s.getMessage() : "");
    }
  }

  private void failure(org.apache.mesos.v1.scheduler.Protos.Event.Failure f) {
    if (f.hasAgentId() && !f.hasExecutorId()) {
      log.warn("agent {} is lost", f.getAgentId().getValue());
      emit.accept(new Event.AgentLost(f.getAgentId().getValue()));
    } else {
      log.info("executor {} on agent {} ended{}", f.getExecutorId().getValue(), f.getAgentId().getValue(),
          f.hasStatus() ? " with status " + f.getStatus() : "");
    }
  }
}
