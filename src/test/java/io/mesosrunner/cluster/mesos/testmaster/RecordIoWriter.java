package io.mesosrunner.cluster.mesos.testmaster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes RecordIO records ({@code <decimal length>\n<bytes>}) to a chunked HTTP response body.
 *
 * <p>Each record is written completely and then flushed, so with the JDK's chunked output
 * stream one record travels in one HTTP chunk, as the real master does (records larger than
 * the JDK's 4 KiB chunk buffer are split; clients must parse by length anyway).
 * Not thread-safe on its own: the {@link TestMaster} lock serialises all writes.
 */
final class RecordIoWriter {
    private final OutputStream out;

    RecordIoWriter(OutputStream out) {
        this.out = out;
    }

    /** Frames and flushes one record. */
    void write(byte[] record) throws IOException {
        byte[] prefix = (record.length + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + record.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(record, 0, frame, prefix.length, record.length);
        out.write(frame);
        out.flush();
    }
}
