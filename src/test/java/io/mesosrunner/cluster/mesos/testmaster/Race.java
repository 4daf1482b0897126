package io.mesosrunner.cluster.mesos.testmaster;

import java.util.Objects;

/**
 * A rejected call or a held offer that no client can avoid, so not a {@link Violation}: a call
 * that was already in flight when the master ended its stream, or an offer sent just before the
 * client's TEARDOWN arrived. Answered as a real master answers; recorded so tests can see it.
 *
 * @param kind   {@code STALE_STREAM_IN_FLIGHT} or {@code OFFER_SENT_AT_TEARDOWN}
 * @param detail what happened, with the values involved
 */
public record Race(String kind, String detail) {
    public Race {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
