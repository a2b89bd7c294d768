package br.com.lepapon.bridge.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bridge's own Micrometer meters, scraped with Camel's at /observe/metrics. Event types come from the network,
 * so besides the platform's known types only the first {@link #MAX_EVENT_LABELS} distinct ones get a label of their
 * own and the rest count as {@code other-types}: a hostile feed cannot create unlimited series.
 */
public final class BridgeMetrics {

    public static final int MAX_EVENT_LABELS = 32;
    /** The hyphen keeps this label apart from every event type, which has only letters, digits and underscores. */
    static final String OTHER = "other-types";
    private static final Set<String> KNOWN_TYPES = Set.of(
            "new_order", "new_message", "gemini_reply", "message_status", "unknown", "other-events");

    private final MeterRegistry registry;
    private final Set<String> eventLabels = ConcurrentHashMap.newKeySet();
    /** The frames-received counter of each label, so that counting a frame does not build a meter id. */
    private final Map<String, Counter> framesReceived = new ConcurrentHashMap<>();
    private final AtomicLong lastEventMillis = new AtomicLong();
    private final AtomicLong tokenObtainedMillis = new AtomicLong();
    private final Counter fileWriteFailures;
    private final Counter fileLinesLost;

    public BridgeMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("lepapon_seconds_since_last_event", this::secondsSinceLastEvent)
                .description("Seconds since the last frame was received; -1 before the first")
                .register(registry);
        Gauge.builder("lepapon_token_age_seconds", this::tokenAgeSeconds)
                .description("Seconds since the feed token in use was obtained; -1 before the first")
                .register(registry);
        // Registered up front so that alerts see 0 before the first failure.
        fileWriteFailures = Counter.builder("lepapon_file_write_failures")
                .description("Failed attempts to create a folder, open a file or write to it")
                .register(registry);
        fileLinesLost = Counter.builder("lepapon_file_lines_lost")
                .description("Lines that will never reach their file: dropped because the memory buffer for unwritten"
                        + " lines was full, or still unwritable at stop and not saved elsewhere")
                .register(registry);
    }

    /** Records that a token was just obtained, from the endpoint or the fixed setting. */
    public void tokenObtained() {
        tokenObtainedMillis.set(System.currentTimeMillis());
    }

    /** Counts a parsed frame; {@code safeType} must already be a safe file name. */
    public void frameReceived(String safeType) {
        lastEventMillis.set(System.currentTimeMillis());
        framesReceived.computeIfAbsent(label(safeType), label -> counter("lepapon_frames_received", "event", label))
                .increment();
    }

    public void invalidFrame() {
        lastEventMillis.set(System.currentTimeMillis());
        counter("lepapon_invalid_frames", null, null).increment();
    }

    /** Counts a reconnect; {@code reason} is one of a few fixed words such as {@code connection_lost}. */
    public void reconnect(String reason) {
        counter("lepapon_reconnects", "reason", reason).increment();
    }

    /**
     * Counts a webhook outcome: {@code delivered}, {@code retried}, {@code dead_lettered}, {@code gone} (410),
     * {@code duplicate} (an order accepted before, not posted again) or {@code skipped} (its body could not be read
     * back from the outbox, so it waits there for the next start).
     */
    public void webhookDelivery(String outcome) {
        counter("lepapon_webhook_deliveries", "outcome", outcome).increment();
    }

    /** Registers the gauge of orders waiting for the webhook, those in the outbox and any held only in memory. */
    public void outboxBacklogGauge(Supplier<Number> pending) {
        Gauge.builder("lepapon_webhook_outbox_pending", pending)
                .description("Orders accepted and not yet delivered or dead-lettered")
                .register(registry);
    }

    /** Registers the connected gauge, 1 while a feed connection is open. */
    public void connectedGauge(Supplier<Boolean> connected) {
        Gauge.builder("lepapon_feed_connected", () -> connected.get() ? 1 : 0)
                .description("1 while a feed connection is open")
                .register(registry);
    }

    /** Counts a failed attempt to create a folder, open a file or write to it, the outbox included. */
    public void fileWriteFailed() {
        fileWriteFailures.increment();
    }

    /** Counts lines that will never reach their file. */
    public void fileLinesLost(long lines) {
        fileLinesLost.increment(lines);
    }

    /** Registers the gauge of lines that the file sinks have accepted but not yet written. */
    public void fileLinesPendingGauge(Supplier<Number> pending) {
        Gauge.builder("lepapon_file_lines_pending", pending)
                .description("Lines accepted by the file sinks and not yet written: queued or held after a failure")
                .register(registry);
    }

    private double tokenAgeSeconds() {
        long obtained = tokenObtainedMillis.get();
        return obtained == 0 ? -1 : (System.currentTimeMillis() - obtained) / 1000.0;
    }

    private double secondsSinceLastEvent() {
        long last = lastEventMillis.get();
        return last == 0 ? -1 : (System.currentTimeMillis() - last) / 1000.0;
    }

    private String label(String safeType) {
        if (KNOWN_TYPES.contains(safeType) || eventLabels.contains(safeType)) {
            return safeType;
        }
        if (eventLabels.size() < MAX_EVENT_LABELS && eventLabels.add(safeType)) {
            return safeType;
        }
        return eventLabels.contains(safeType) ? safeType : OTHER;
    }

    private Counter counter(String name, String tag, String value) {
        Counter.Builder builder = Counter.builder(name);
        if (tag != null) {
            builder.tag(tag, value);
        }
        return builder.register(registry);
    }
}
