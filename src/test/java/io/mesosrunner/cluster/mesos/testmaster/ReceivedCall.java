package io.mesosrunner.cluster.mesos.testmaster;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.apache.mesos.v1.scheduler.Protos.Call;

/**
 * One HTTP request to the scheduler endpoint and the answer it got.
 *
 * @param at     when the request arrived
 * @param method HTTP method
 * @param path   request path
 * @param call   the decoded Call, empty when the body could not be decoded
 * @param status the HTTP status answered (200 for a SUBSCRIBE that opened a stream)
 * @param body   the error text answered, "" for none
 */
public record ReceivedCall(Instant at, String method, String path, Optional<Call> call, int status, String body) {
    public ReceivedCall {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(call, "call");
        Objects.requireNonNull(body, "body");
    }

    /** The call's type, or {@code UNKNOWN} when it has none or could not be decoded. */
    public Call.Type type() {
        return call.filter(Call::hasType).map(Call::getType).orElse(Call.Type.UNKNOWN);
    }

    public boolean is(Call.Type type) {
        return type() == type;
    }
}
