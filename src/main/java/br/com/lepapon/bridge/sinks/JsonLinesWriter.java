package br.com.lepapon.bridge.sinks;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;

import br.com.lepapon.bridge.HeapShare;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.JsonLineRecord;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import br.com.lepapon.bridge.sinks.LineQueue.QueuedLine;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The file sink of the routes: appends the exchange body as one line to the file named by the
 * {@value #FILE_HEADER} header, a path relative to the data folder such as {@code 2026-12-04/new_order.jsonl}.
 * A {@link JsonLineRecord} or {@link JsonNode} body is written as compact JSON; any other body is written as its
 * text, with the trailing newline added when missing.
 *
 * <p>{@link #process} only queues the line; one writer thread per bridge keeps the files open and writes (see
 * {@link JsonLinesWriterThread}). When the queue is full, {@link #process} blocks, which pauses the feed. Lines for
 * one file are written in the order {@link #process} was called.
 */
public final class JsonLinesWriter implements Processor {

    /** The header with the target file, relative to the data folder. */
    public static final String FILE_HEADER = "LePaponFile";

    private final LineQueue queue;
    private final JsonLinesWriterThread writer;

    public JsonLinesWriter(Path dataDir, ZoneId zone, BridgeMetrics metrics) {
        this(dataDir, zone, metrics, Limits.DEFAULT);
    }

    JsonLinesWriter(Path dataDir, ZoneId zone, BridgeMetrics metrics, Limits limits) {
        this.queue = new LineQueue(limits.queueLines(), limits.queueBytes());
        this.writer = new JsonLinesWriterThread(dataDir.toAbsolutePath().normalize(), zone, metrics, limits, queue);
        metrics.fileLinesPendingGauge(() -> queue.size() + writer.heldLines());
    }

    /** Starts the writer thread. */
    public void start() {
        writer.start(LocalDate.now(writer.zone()));
    }

    /**
     * Writes the queued lines, retries the held ones once, closes the files and ends the writer thread. Lines still
     * unwritten are saved to {@value JsonLinesWriterThread#UNWRITTEN_FILE} in the data folder when possible, and
     * logged at ERROR either way. Later calls to {@link #process} fail.
     */
    public void stop() throws InterruptedException {
        queue.close();
        writer.awaitEnd();
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        Message message = exchange.getMessage();
        String file = message.getHeader(FILE_HEADER, String.class);
        checkFileName(file);
        queue.put(new QueuedLine(file, lineBytes(message)));
    }

    /** Returns the line without its newline, as UTF-8. */
    private static byte[] lineBytes(Message message) {
        Object body = message.getBody();
        if (body instanceof JsonLineRecord record) {
            return EventJson.compactBytes(record.toJson());
        }
        if (body instanceof JsonNode json) {
            return EventJson.compactBytes(json);
        }
        String text = message.getBody(String.class);
        if (text == null) {
            throw new IllegalArgumentException("The JSON Lines writer received an empty body for "
                    + message.getHeader(FILE_HEADER, String.class));
        }
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Rejects a missing file name and one that could leave the data folder: an absolute path, a {@code .} or
     * {@code ..} segment, or a NUL character.
     */
    static void checkFileName(String file) {
        if (file == null || file.isEmpty()) {
            throw new IllegalArgumentException("The JSON Lines writer needs the " + FILE_HEADER
                    + " header with a file name relative to the data folder");
        }
        if (file.charAt(0) == '/' || file.charAt(file.length() - 1) == '/' || file.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Invalid " + FILE_HEADER + " '" + file
                    + "': expected a file name relative to the data folder");
        }
        int segmentStart = 0;
        for (int i = 0; i <= file.length(); i++) {
            if (i == file.length() || file.charAt(i) == '/') {
                if (isDotSegment(file, segmentStart, i)) {
                    throw new IllegalArgumentException("Invalid " + FILE_HEADER + " '" + file
                            + "': '.' and '..' are not allowed in the path");
                }
                segmentStart = i + 1;
            }
        }
    }

    private static boolean isDotSegment(String file, int start, int end) {
        int length = end - start;
        boolean dot = length >= 1 && file.charAt(start) == '.';
        return (length == 1 && dot) || (length == 2 && dot && file.charAt(start + 1) == '.');
    }

    /**
     * Sizes of the writer's buffers and its timings.
     *
     * @param queueLines     lines queued between the routes and the writer thread at most, before callers block
     * @param queueBytes     bytes queued at most, before callers block
     * @param heldLines      lines held in memory for files that cannot be written, at most; more are dropped
     * @param heldBytes      bytes held in memory for files that cannot be written, at most; more are dropped
     * @param maxOpenFiles   files kept open at most; the least recently used is closed to open another
     * @param retryInterval  time between attempts at a file that failed
     * @param idleClose      a file not written for this long is closed
     * @param reportInterval repeated failures of one file are logged at most once per interval, with counts
     */
    record Limits(int queueLines, long queueBytes, int heldLines, long heldBytes, int maxOpenFiles,
            Duration retryInterval, Duration idleClose, Duration reportInterval) {

        /** Queued bytes up to 16 MiB or 1/32 of the heap, held bytes up to 64 MiB or 1/16 of it. */
        static final Limits DEFAULT = new Limits(8_192, HeapShare.of(16L * 1024 * 1024, 32), 100_000,
                HeapShare.of(64L * 1024 * 1024, 16), 64,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(10));
    }
}
