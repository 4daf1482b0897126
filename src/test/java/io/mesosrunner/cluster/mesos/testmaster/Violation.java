package io.mesosrunner.cluster.mesos.testmaster;

import java.util.Objects;

/**
 * A protocol error the client committed, one that a real master would reject or that would leave
 * a real cluster in a bad state (a held offer, an unacknowledged update).
 *
 * @param kind   short category, e.g. {@code HTTP_4XX}, {@code INVALID_OFFERS}, {@code UNACKNOWLEDGED_UPDATE}
 * @param detail what happened, with the values involved
 */
public record Violation(String kind, String detail) {
    public Violation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
