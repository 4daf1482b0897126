package io.mesosrunner.cluster.mesos.testmaster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;

/** One subscriber connection: the RecordIO stream a SUBSCRIBE answer holds open. */
final class EventStream {
    final String id;
    final Framework fw;
    final RecordIoWriter writer;
    final CountDownLatch ended = new CountDownLatch(1);
    boolean open = true;
    ScheduledFuture<?> heartbeat;

    EventStream(String id, Framework fw, RecordIoWriter writer) {
        this.id = id;
        this.fw = fw;
        this.writer = writer;
    }
}
