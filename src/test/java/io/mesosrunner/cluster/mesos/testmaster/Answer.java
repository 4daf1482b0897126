package io.mesosrunner.cluster.mesos.testmaster;

import java.util.Map;

/** An answer to a scheduler call, computed under the lock and written after it is released. */
record Answer(int status, String body, Map<String, String> headers, Race race) {
    Answer(int status, String body, Map<String, String> headers) {
        this(status, body, headers, null);
    }

    static Answer text(int status, String body) {
        return new Answer(status, body, Map.of());
    }
}
