package io.mesosrunner.cluster.mesos;

import io.mesosrunner.match.Offer;
import io.mesosrunner.match.PortRange;
import io.mesosrunner.match.Resources;
import io.mesosrunner.cluster.TaskState;
import io.mesosrunner.cluster.TaskStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos;

/**
 * Translates Mesos protobufs into the core's values: offers and task statuses. Stateless.
 */
final class OfferTranslator {

  static {
    ProtobufSetup.ensure();
  }

  private static final Pattern EXIT_STATUS = Pattern.compile("Command exited with status (-?\\d+)");

  private OfferTranslator() {}

  /** The role an offer is allocated to: {@code allocation_info.role}, else {@code *}. */
  static String offerRole(Protos.Offer offer) {
    return offer.hasAllocationInfo() && offer.getAllocationInfo().hasRole() ? offer.getAllocationInfo().getRole() : "*";
  }

  /** The role a resource is reserved for, {@code *} when unreserved. */
  static String reservationRole(Protos.Resource r) {
    if (r.getReservationsCount() > 0) {
      Protos.Resource.ReservationInfo last = r.getReservations(r.getReservationsCount() - 1);
      return last.hasRole() ? last.getRole() : r.getRole();
    }
    return r.hasRole() ? r.getRole() : "*";
  }

  /**
   * Whether a task of the offer's role may use this resource: allocated to that role, unreserved
   * or reserved for it, and a plain resource (no persistent volume, not revocable, not shared).
   */
  static boolean usable(Protos.Offer offer, Protos.Resource r) {
    String role = offerRole(offer);
    if (r.hasAllocationInfo() && r.getAllocationInfo().hasRole() && !r.getAllocationInfo().getRole().equals(role)) {
      return false;
    }
    String reserved = reservationRole(r);
    if (!reserved.equals("*") && !reserved.equals(role)) {
      return false;
    }
    if (r.hasRevocable() || r.hasShared()) {
      return false;
    }
    return !(r.hasDisk() && (r.getDisk().hasPersistence() || r.getDisk().hasVolume()));
  }

  /** Our offer value: scalars and ports usable by the offer's role, attributes as text. */
  static Offer toOffer(Protos.Offer offer) {
    double cpus = 0;
    double mem = 0;
    double disk = 0;
    double gpus = 0;
    List<PortRange> ports = new ArrayList<>();
    for (Protos.Resource r : offer.getResourcesList()) {
      if (!usable(offer, r)) {
        continue;
      }
      if (r.getType() == Protos.Value.Type.SCALAR && r.hasScalar()) {
        double v = r.getScalar().getValue();
        switch (r.getName()) {
          case "cpus" -> cpus += v;
          case "mem" -> mem += v;
          case "disk" -> disk += v;
          case "gpus" -> gpus += v;
          default -> { }
        }
      } else if (r.getName().equals("ports") && r.getType() == Protos.Value.Type.RANGES) {
        for (Protos.Value.Range range : r.getRanges().getRangeList()) {
          if (range.getBegin() >= 0 && range.getEnd() <= 65535 && range.getBegin() <= range.getEnd()) {
            ports.add(new PortRange(range.getBegin(), range.getEnd()));
          }
        }
      }
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Protos.Attribute a : offer.getAttributesList()) {
      attributes.put(a.getName(), attributeText(a));
    }
    ports.sort((a, b) -> Long.compare(a.begin(), b.begin()));
    return new Offer(
        offer.getId().getValue(),
        offer.getAgentId().getValue(),
        offer.getHostname(),
        offerRole(offer),
        new Resources(cpus, mem, disk, gpus),
        ports,
        attributes);
  }

  /** An attribute's value as text: {@code rack-1}, {@code 2.5}, {@code [1-5,7-9]}, {@code {a,b}}. */
  static String attributeText(Protos.Attribute a) {
    return switch (a.getType()) {
      case TEXT -> a.getText().getValue();
      case SCALAR -> scalarText(a.getScalar().getValue());
      case RANGES -> a.getRanges().getRangeList().stream()
          .map(r -> r.getBegin() + "-" + r.getEnd())
          .collect(Collectors.joining(",", "[", "]"));
      case SET -> a.getSet().getItemList().stream().collect(Collectors.joining(",", "{", "}"));
    };
  }

  private static String scalarText(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * The agent's HTTP base URI from an offer's {@code url} ({@code http://127.0.0.1:5051}), or
   * null when the offer has none.
   */
  static URI agentBase(Protos.Offer offer) {
    if (!offer.hasUrl() || !offer.getUrl().hasAddress()) {
      return null;
    }
    Protos.URL url = offer.getUrl();
    Protos.Address address = url.getAddress();
    String host = address.hasHostname() && !address.getHostname().isEmpty() ? address.getHostname() : address.getIp();
    if (host == null || host.isEmpty()) {
      return null;
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    String scheme = url.hasScheme() && !url.getScheme().isEmpty() ? url.getScheme() : "http";
    return URI.create(scheme + "://" + host + ":" + address.getPort());
  }

  /** A task status as the scheduler sees it. */
  static TaskStatus toStatus(Protos.TaskStatus s) {
    String message = s.hasMessage() && !s.getMessage().isEmpty() ? s.getMessage() : null;
    String reason = s.hasReason() ? stripPrefix(s.getReason().name(), "REASON_") : null;
    return new TaskStatus(
        s.getTaskId().getValue(),
        toState(s.getState()),
        s.hasAgentId() ? s.getAgentId().getValue() : null,
        message,
        reason,
        exitCode(message),
        s.hasUuid() && !s.getUuid().isEmpty() ? Base64.getEncoder().encodeToString(s.getUuid().toByteArray()) : null,
        s.hasSource() ? toSource(s.getSource()) : null);
  }

  /** The port's name for who sent an update. */
  static TaskStatus.Source toSource(Protos.TaskStatus.Source source) {
    return switch (source) {
      case SOURCE_MASTER -> TaskStatus.Source.MASTER;
      case SOURCE_AGENT -> TaskStatus.Source.AGENT;
      case SOURCE_EXECUTOR -> TaskStatus.Source.EXECUTOR;
    };
  }

  /** Our state of the same name; a state this runner does not know counts as UNKNOWN. */
  static TaskState toState(Protos.TaskState state) {
    try {
      return TaskState.valueOf(stripPrefix(state.name(), "TASK_"));
    } catch (IllegalArgumentException e) {
      return TaskState.UNKNOWN;
    }
  }

  /** The exit status from the command executor's message, or null. */
  static Integer exitCode(String message) {
    if (message == null) {
      return null;
    }
    Matcher m = EXIT_STATUS.matcher(message);
    if (!m.find()) {
      return null;
    }
    try {
      return Integer.valueOf(m.group(1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String stripPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }
}
