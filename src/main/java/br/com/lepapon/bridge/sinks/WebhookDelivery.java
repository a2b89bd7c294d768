package br.com.lepapon.bridge.sinks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import br.com.lepapon.bridge.HeapShare;
import br.com.lepapon.bridge.HttpEndpoints;
import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.config.InvalidSettingException;
import br.com.lepapon.bridge.connection.SecretMasker;
import br.com.lepapon.bridge.events.EventHeaders;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.FeedEvent;
import br.com.lepapon.bridge.events.OrderFields;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import br.com.lepapon.bridge.sinks.RecentOrders.OrderKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts orders to the webhook at least once, without holding up the route. {@link #process} writes the order to the
 * durable outbox ({@link WebhookOutbox}) and queues it; attempts run on a pool of {@code WEBHOOK_CONCURRENCY}
 * threads. Orders of one session are posted one at a time in arrival order, so a failing order holds up only its
 * own session. An order whose session and order id were accepted before is not posted again.
 * <p>
 * Connection errors, timeouts, 408, 425, 429 and 5xx are retried with exponential backoff, honouring
 * {@code Retry-After}, until {@code WEBHOOK_MAX_ATTEMPTS} or {@code WEBHOOK_MAX_RETRY_TIME} runs out. Other statuses
 * and exhausted retries go to the dead-letter file. 410 Gone stops all deliveries until a restart and leaves the
 * orders in the outbox. Every attempt at one order carries the same {@code webhook-id}, also after a restart.
 */
public final class WebhookDelivery implements Processor {

    public static final String DEAD_LETTER_ENDPOINT = "direct:webhook-dead-letter-sink";
    /**
     * Request bodies of pending deliveries kept in memory at most: 64 MiB or 1/16 of the heap, whichever is less.
     * Past it, orders wait in the outbox only and their bodies are read back when their turn comes. Without the
     * outbox, new orders go to the dead-letter file.
     */
    static final long MAX_HELD_BYTES = HeapShare.of(64L * 1024 * 1024, 16);
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final BridgeSettings settings;
    private final CamelContext camelContext;
    private final BridgeMetrics metrics;
    private final Clock clock;
    private final ProducerTemplate template;
    private final Optional<WebhookSignature> signature;
    private final String endpointUri;
    /** Null when the webhook is disabled or the outbox could not be opened. */
    private final WebhookOutbox outbox;

    /** Queued orders by session, the head of each being the one in progress; guarded by {@code this}. */
    private final Map<String, Deque<Delivery>> sessions = new HashMap<>();
    private int pendingCount;
    /** Bytes of request bodies that queued deliveries keep in memory. */
    private long heldBytes;
    /** Whether new orders keep their bodies in the outbox only, as {@link #holdBody} decides. */
    private boolean bodiesInOutboxOnly;
    /** Orders sent to the dead-letter file since the start. */
    private int deadLetters;
    private boolean started;
    /** Set after a 410 Gone, which stops all deliveries until a restart. */
    private boolean receiverGone;
    private volatile boolean stopping;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            new NamedThreads("webhook-retry-timer"));
    private final ExecutorService senders;

    public WebhookDelivery(BridgeSettings settings, CamelContext camelContext, BridgeMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.camelContext = camelContext;
        this.clock = Clock.system(settings.timezone());
        this.template = camelContext.createProducerTemplate();
        this.signature = settings.webhookSecret().map(WebhookSignature::new);
        this.endpointUri = settings.webhookUrl()
                .map(url -> HttpEndpoints.withTimeouts(url, settings.httpTimeout(), WebhookRetries.ENDPOINT_OPTIONS))
                .orElse(null);
        this.senders = Executors.newFixedThreadPool(settings.webhookConcurrency(), new NamedThreads("webhook-sender"));
        this.outbox = openOutbox();
        if (outbox != null && isEnabled()) {
            synchronized (this) {
                // Loaded without bodies: each is read from the journal when its turn comes.
                for (OutboxEntry entry : outbox.loaded()) {
                    enqueue(new Delivery(entry, true, 0));
                }
            }
        }
        metrics.outboxBacklogGauge(this::pendingCount);
    }

    public boolean isEnabled() {
        return endpointUri != null;
    }

    /**
     * Starts the deliveries, beginning with the orders that the outbox held at startup, which were queued first.
     * Until then orders are only queued, because the HTTP endpoint needs a started Camel context.
     */
    public synchronized void start() {
        started = true;
        for (Deque<Delivery> queue : sessions.values()) {
            submit(queue.peek(), 1);
        }
    }

    /**
     * Writes the order in the exchange body (a {@link FeedEvent}) to the outbox and queues it for delivery; does
     * nothing when the webhook is disabled, and only logs an order accepted before.
     */
    @Override
    public void process(Exchange exchange) {
        if (!isEnabled()) {
            return;
        }
        FeedEvent event = exchange.getMessage().getBody(FeedEvent.class);
        if (event == null) {
            throw new IllegalArgumentException("Webhook sink expects a FeedEvent body");
        }
        OrderFields fields = OrderFields.of(event);
        String sessionId = text(fields.sessionId());
        String orderId = text(fields.orderId());
        OrderKey key = orderId == null ? null : new OrderKey(sessionId == null ? "" : sessionId, orderId);
        OutboxEntry entry = OutboxEntry.of("msg_" + UUID.randomUUID().toString().replace("-", ""), clock.instant(),
                sessionId, key, requestBody(event, fields));
        synchronized (this) {
            accept(entry);
        }
    }

    private void accept(OutboxEntry entry) {
        if (entry.key() != null && isDuplicate(entry.key())) {
            return;
        }
        Delivery delivery = new Delivery(entry, false, 0);
        if (pendingCount + 1 > settings.webhookMaxPending()) {
            rememberKey(entry);
            deadLetter(delivery, "more than " + settings.webhookMaxPending() + " deliveries pending, not attempted");
            return;
        }
        if (outbox != null) {
            try {
                long line = outbox.add(entry);
                delivery = new Delivery(holdBody(entry.body().length) ? entry : entry.withoutBody(), true, line);
            } catch (IOException e) {
                metrics.fileWriteFailed();
                LOG.error("Could not write order {} to the outbox: {}; it is delivered from memory and goes to the "
                        + "dead-letter file if the bridge stops first", entry.webhookId(), e.toString());
            }
        }
        if (!delivery.inOutbox() && heldBytes + entry.body().length > MAX_HELD_BYTES) {
            rememberKey(entry);
            deadLetter(delivery, "more than " + MAX_HELD_BYTES / (1024 * 1024) + " MiB of orders held in memory "
                    + "without the outbox, not attempted");
            return;
        }
        enqueue(delivery);
    }

    /**
     * Decides whether an order written to the outbox keeps its body in memory. Past {@link #MAX_HELD_BYTES}, orders
     * wait only in the outbox until the bodies in memory fall to half of it.
     */
    private boolean holdBody(int size) {
        // The new body counts too, so that one body larger than half the share does not switch back and forth.
        if (bodiesInOutboxOnly && heldBytes + size <= MAX_HELD_BYTES / 2) {
            bodiesInOutboxOnly = false;
            LOG.info("Orders waiting for the webhook fit in memory again ({} orders pending)", pendingCount);
        }
        if (!bodiesInOutboxOnly && heldBytes + size > MAX_HELD_BYTES) {
            bodiesInOutboxOnly = true;
            LOG.info("Orders waiting for the webhook hold {} MiB of memory; the next ones wait in the outbox on disk "
                    + "and are read back when their turn comes ({} orders pending)",
                    String.format(Locale.ROOT, "%.1f", MAX_HELD_BYTES / (1024.0 * 1024)), pendingCount);
        }
        return !bodiesInOutboxOnly;
    }

    private boolean isDuplicate(OrderKey key) {
        Instant earlier = outbox == null ? null : outbox.acceptedAt(key);
        if (earlier == null) {
            return false;
        }
        metrics.webhookDelivery("duplicate");
        LOG.info("Order {} of session {} was accepted before, at {}; not posting it again",
                LogText.sanitize(key.orderId(), 80), LogText.maskPhone(key.sessionId()), earlier);
        return true;
    }

    private void rememberKey(OutboxEntry entry) {
        if (outbox != null && entry.key() != null) {
            try {
                outbox.remember(entry.key(), entry.acceptedAt());
            } catch (IOException e) {
                metrics.fileWriteFailed();
                LOG.error("Could not write the key of order {} to the outbox: {}", entry.webhookId(), e.toString());
            }
        }
    }

    /** Adds a delivery to its session's queue and starts it when the session has nothing else in progress. */
    private void enqueue(Delivery delivery) {
        pendingCount++;
        heldBytes += delivery.heldBytes();
        Deque<Delivery> queue = sessions.computeIfAbsent(delivery.sessionKey(), session -> new ArrayDeque<>());
        queue.add(delivery);
        if (queue.size() == 1) {
            submit(delivery, 1);
        }
    }

    private void submit(Delivery delivery, int attempt) {
        if (!started || receiverGone || stopping) {
            return;
        }
        try {
            senders.execute(() -> attempt(delivery, attempt));
        } catch (RejectedExecutionException e) {
            LOG.debug("Webhook delivery {} not started because the bridge is stopping", delivery.id());
        }
    }

    /**
     * Waits briefly for attempts in flight. Orders in the outbox stay there and are posted after the next start.
     * Orders that could not be written to the outbox go to the dead-letter file.
     */
    public void stop() throws InterruptedException {
        stopping = true;
        scheduler.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(2, TimeUnit.SECONDS);
        int keptInOutbox = 0;
        synchronized (this) {
            for (Deque<Delivery> queue : sessions.values()) {
                for (Delivery delivery : queue) {
                    if (delivery.inOutbox()) {
                        keptInOutbox++;
                    } else {
                        deadLetter(delivery, "bridge stopped before a successful response, and the order was not "
                                + "in the outbox (an attempt in flight may still have arrived)");
                    }
                }
            }
            sessions.clear();
        }
        if (keptInOutbox > 0) {
            LOG.info("Stopped with {} orders waiting for the webhook; they stay in the outbox and are posted after "
                    + "the next start", keptInOutbox);
        }
        if (outbox != null) {
            try {
                outbox.close();
            } catch (IOException e) {
                LOG.error("Could not close the outbox: {}", e.toString());
            }
        }
        template.stop();
    }

    private void attempt(Delivery delivery, int attempt) {
        if (stopping) {
            return;
        }
        delivery.attempts().set(attempt);
        if (attempt == 1 && delivery.inOutbox()) {
            try {
                outbox.sync(delivery.journalLine());
            } catch (IOException e) {
                metrics.fileWriteFailed();
                LOG.error("Could not force the outbox to the disk before delivering order {}: {}", delivery.id(),
                        e.toString());
            }
        }
        byte[] body = delivery.body();
        if (body == null) {
            try {
                body = outbox.body(delivery.id());
            } catch (IOException e) {
                metrics.fileWriteFailed();
                LOG.error("Could not read order {} back from the outbox: {}; it stays there and is tried again after "
                        + "the next start", delivery.id(), e.toString());
                skip(delivery);
                return;
            }
        }
        Exchange response = post(delivery, body);
        Integer status = response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Exception error = response.getException();
        if (error == null && status != null && status >= 200 && status < 300) {
            metrics.webhookDelivery("delivered");
            LOG.info("Delivered order to webhook: webhook-id {}, attempt {}, HTTP {}", delivery.id(), attempt, status);
            finish(delivery);
            return;
        }
        if (error == null && status != null && status == 410) {
            stopDeliveries(delivery);
            return;
        }
        String reason = error != null
                ? "request failed: " + LogText.sanitize(error.toString(), 200)
                : "HTTP " + status;
        if (!WebhookRetries.isRetriable(error, status)) {
            deadLetter(delivery, body, reason + ", not retried");
            finish(delivery);
            return;
        }
        String retryAfter = error == null ? response.getMessage().getHeader("Retry-After", String.class) : null;
        Duration delay = WebhookRetries.delay(settings, attempt, retryAfter);
        String exhausted = retriesExhausted(delivery, attempt, delay);
        if (exhausted != null) {
            deadLetter(delivery, body, reason + ", " + exhausted);
            finish(delivery);
            return;
        }
        String message = "Webhook delivery {} failed on attempt {} ({}); retrying in {} ms";
        if (attempt == 1) {
            LOG.warn(message, delivery.id(), attempt, reason, delay.toMillis());
        } else {
            LOG.debug(message, delivery.id(), attempt, reason, delay.toMillis());
        }
        metrics.webhookDelivery("retried");
        scheduleRetry(delivery, attempt + 1, delay);
    }

    /** Returns why no further attempt is made, or null when the next attempt is within the limits. */
    private String retriesExhausted(Delivery delivery, int attempt, Duration delay) {
        int maxAttempts = settings.webhookMaxAttempts();
        if (maxAttempts > 0 && attempt >= maxAttempts) {
            return "retries exhausted (" + maxAttempts + " attempts)";
        }
        Instant deadline = delivery.acceptedAt().plus(settings.webhookMaxRetryTime());
        if (clock.instant().plus(delay).isAfter(deadline)) {
            return "retry time exhausted (accepted at " + delivery.acceptedAt() + ", WEBHOOK_MAX_RETRY_TIME "
                    + settings.webhookMaxRetryTime().toSeconds() + " s)";
        }
        return null;
    }

    private synchronized void stopDeliveries(Delivery delivery) {
        metrics.webhookDelivery("gone");
        if (!receiverGone) {
            receiverGone = true;
            LOG.error("Webhook {} answered 410 Gone to delivery {}: stopped all deliveries to it. The {} orders "
                    + "waiting stay in the outbox; set WEBHOOK_URL to a working receiver and restart the bridge to "
                    + "deliver them", SecretMasker.redactEndpoint(settings.webhookUrl().orElseThrow()),
                    delivery.id(), pendingCount);
            notifyAll();
        }
    }

    private void scheduleRetry(Delivery delivery, int attempt, Duration delay) {
        try {
            scheduler.schedule(() -> submit(delivery, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Stopping: the order stays in the outbox, or stop() moves it to the dead-letter file.
            LOG.debug("Retry of webhook delivery {} not scheduled because the bridge is stopping", delivery.id());
        }
    }

    // NOTE: HTTP_TIMEOUT bounds the connection and each socket read, not the whole exchange, so a receiver that
    // trickles its response body keeps a sender thread busy for as long as it keeps sending.
    private Exchange post(Delivery delivery, byte[] body) {
        Exchange request = WebhookRetries.request(camelContext, settings.webhookUrl().orElseThrow(), delivery.id(),
                body, signature);
        return template.send(endpointUri, request);
    }

    /** Records a finished delivery in the outbox and starts the next order of its session. */
    private void finish(Delivery delivery) {
        if (delivery.inOutbox()) {
            try {
                outbox.done(delivery.id());
            } catch (IOException e) {
                metrics.fileWriteFailed();
                LOG.error("Could not mark order {} as done in the outbox: {}; it will be posted again after a "
                        + "restart, with the same webhook-id", delivery.id(), e.toString());
            }
        }
        release(delivery);
    }

    /**
     * Leaves an order whose body cannot be read in the outbox, without a dead letter, and starts the next order of
     * its session. The next start tries the order again or reports its line as damaged.
     */
    private void skip(Delivery delivery) {
        metrics.webhookDelivery("skipped");
        release(delivery);
    }

    /** Removes a delivery from its session's queue and starts the next one. */
    private void release(Delivery delivery) {
        synchronized (this) {
            pendingCount--;
            heldBytes -= delivery.heldBytes();
            notifyAll();
            Deque<Delivery> queue = sessions.get(delivery.sessionKey());
            if (queue == null) {
                return;
            }
            queue.remove(delivery);
            if (queue.isEmpty()) {
                sessions.remove(delivery.sessionKey());
            } else {
                submit(queue.peek(), 1);
            }
        }
    }

    private synchronized int pendingCount() {
        return pendingCount;
    }

    /** Returns the number of orders sent to the dead-letter file since the start. */
    public synchronized int deadLetters() {
        return deadLetters;
    }

    /**
     * Waits until no order is pending, a 410 stopped the deliveries, or the timeout passes.
     *
     * @return the orders still pending
     */
    public synchronized int awaitDelivered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pendingCount > 0 && !receiverGone) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return pendingCount;
    }

    /** Writes one dead letter with the body that the delivery keeps in memory. */
    private void deadLetter(Delivery delivery, String reason) {
        deadLetter(delivery, delivery.body(), reason);
    }

    /** Writes one dead letter; synchronized because sender threads share the file and lines must not interleave. */
    private synchronized void deadLetter(Delivery delivery, byte[] body, String reason) {
        metrics.webhookDelivery("dead_lettered");
        deadLetters++;
        OffsetDateTime now = OffsetDateTime.now(clock);
        int attempts = delivery.attempts().get();
        LOG.error("Webhook delivery {} failed for good after {} attempts: {}; kept in the dead-letter file",
                delivery.id(), attempts, reason);
        WebhookDeadLetter letter = new WebhookDeadLetter(now, delivery.id(), attempts, reason,
                OutboxEntry.bodyTree(body));
        try {
            template.sendBodyAndHeader(DEAD_LETTER_ENDPOINT, letter, EventHeaders.DAY, now.toLocalDate().toString());
        } catch (RuntimeException e) {
            LOG.error("Could not write webhook delivery {} to the dead-letter file: {}", delivery.id(), e.toString());
        }
    }

    /**
     * Opens the outbox when the webhook is enabled. A disabled webhook leaves it alone, so a replay or a bridge without
     * WEBHOOK_URL never takes it from the bridge that delivers its orders.
     *
     * @throws InvalidSettingException when another process uses the outbox of this data folder
     */
    private WebhookOutbox openOutbox() {
        Path journal = settings.dataDir().resolve(WebhookOutbox.FOLDER).resolve(WebhookOutbox.JOURNAL);
        if (!isEnabled()) {
            if (isNonEmptyFile(journal)) {
                LOG.warn("{} contains orders from an earlier run, but WEBHOOK_URL is not set; a bridge started with "
                        + "WEBHOOK_URL and this data folder delivers those not yet done", journal);
            }
            return null;
        }
        try {
            return WebhookOutbox.open(settings.dataDir(), settings.webhookDedupMaxKeys(),
                    settings.webhookDedupMaxAge(), clock);
        } catch (WebhookOutbox.OutboxLockedException e) {
            throw new InvalidSettingException("Invalid setting DATA_DIR: " + e.getMessage()
                    + "; give each bridge its own DATA_DIR");
        } catch (IOException e) {
            metrics.fileWriteFailed();
            LOG.error("Could not open the webhook outbox under {}: {}. Until the next start, orders are kept in "
                    + "memory only, so a crash loses those not yet delivered, and orders sent again are not "
                    + "recognised as duplicates", settings.dataDir(), e.toString());
            return null;
        }
    }

    private static boolean isNonEmptyFile(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the value as text, or null when it is missing, null or blank, which is no id at all. */
    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return null;
        }
        return value.asText();
    }

    private static ObjectNode requestBody(FeedEvent event, OrderFields fields) {
        ObjectNode body = EventJson.object();
        body.put("event", event.type());
        body.put("receivedAt", EventJson.timestamp(event.receivedAt()));
        fields.writeTo(body);
        body.set("message", event.message());
        return body;
    }

    /**
     * One order on its way to the webhook.
     *
     * @param inOutbox    whether the order was written to the outbox
     * @param journalLine the line number to force before the first attempt, 0 for orders read from the journal
     */
    private record Delivery(OutboxEntry entry, boolean inOutbox, long journalLine, AtomicInteger attempts) {

        Delivery(OutboxEntry entry, boolean inOutbox, long journalLine) {
            this(entry, inOutbox, journalLine, new AtomicInteger());
        }

        /** Returns the request body, compact JSON in UTF-8, or null when it is only in the outbox's journal. */
        byte[] body() {
            return entry.body();
        }

        /** Bytes of the request body held in memory. */
        long heldBytes() {
            return entry.body() == null ? 0 : entry.body().length;
        }

        String id() {
            return entry.webhookId();
        }

        Instant acceptedAt() {
            return entry.acceptedAt();
        }

        /** Orders without a session are independent of each other, so each gets a queue of its own. */
        String sessionKey() {
            return entry.sessionId() == null ? "\0" + entry.webhookId() : entry.sessionId();
        }
    }
}
