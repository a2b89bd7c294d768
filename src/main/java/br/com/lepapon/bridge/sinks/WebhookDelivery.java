package br.com.lepapon.bridge.sinks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import br.com.lepapon.bridge.HttpEndpoints;
import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.events.EventHeaders;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.FeedEvent;
import br.com.lepapon.bridge.events.OrderFields;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts orders to the webhook without holding up the route: {@link #process} only queues the delivery, and
 * attempts run on a small pool of their own. Connection errors, timeouts, 408, 429 and 5xx are retried with
 * exponential backoff, honouring {@code Retry-After}; other statuses and exhausted retries go to the dead-letter
 * file. Every attempt at one order carries the same {@code webhook-id}.
 */
public final class WebhookDelivery implements Processor {

    public static final String DEAD_LETTER_ENDPOINT = "direct:webhook-dead-letter-sink";
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final int SENDER_THREADS = 4;
    /** Request bodies held for pending deliveries at most, so an outage with large orders cannot exhaust the heap. */
    static final long MAX_PENDING_BYTES = 64L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDelivery.class);

    private final BridgeSettings settings;
    private final CamelContext camelContext;
    private final ProducerTemplate template;
    private final Optional<WebhookSignature> signature;
    private final String endpointUri;
    private final Map<String, Delivery> pending = new ConcurrentHashMap<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "webhook-retry-timer"));
    private final ExecutorService senders = Executors.newFixedThreadPool(SENDER_THREADS,
            new NamedThreads("webhook-sender"));

    private final BridgeMetrics metrics;

    public WebhookDelivery(BridgeSettings settings, CamelContext camelContext, BridgeMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.camelContext = camelContext;
        this.template = camelContext.createProducerTemplate();
        this.signature = settings.webhookSecret().map(WebhookSignature::new);
        this.endpointUri = settings.webhookUrl()
                .map(url -> HttpEndpoints.withTimeouts(url, settings.httpTimeout(), "throwExceptionOnFailure=false"))
                .orElse(null);
    }

    public boolean isEnabled() {
        return endpointUri != null;
    }

    /** Queues the order in the exchange body (a {@link FeedEvent}) for delivery; does nothing when disabled. */
    @Override
    public void process(Exchange exchange) {
        if (!isEnabled()) {
            return;
        }
        FeedEvent event = exchange.getMessage().getBody(FeedEvent.class);
        if (event == null) {
            throw new IllegalArgumentException("Webhook sink expects a FeedEvent body");
        }
        Delivery delivery = new Delivery("msg_" + UUID.randomUUID().toString().replace("-", ""), requestBody(event));
        int count = pendingCount.incrementAndGet();
        long bytes = pendingBytes.addAndGet(delivery.body().length);
        if (count > settings.webhookMaxPending() || bytes > MAX_PENDING_BYTES) {
            pendingCount.decrementAndGet();
            pendingBytes.addAndGet(-delivery.body().length);
            deadLetter(delivery, 0, "more than " + settings.webhookMaxPending() + " deliveries or "
                    + MAX_PENDING_BYTES / (1024 * 1024) + " MiB pending, not attempted");
            return;
        }
        pending.put(delivery.id(), delivery);
        senders.execute(() -> attempt(delivery, 1));
    }

    /** Waits briefly for attempts in flight, then moves deliveries that have not succeeded to the dead-letter file. */
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        senders.shutdown();
        senders.awaitTermination(2, TimeUnit.SECONDS);
        for (Delivery delivery : pending.values()) {
            finish(delivery);
            deadLetter(delivery, delivery.attempts.get(),
                    "bridge stopped before a successful response (an attempt in flight may still have arrived)");
        }
        template.stop();
    }

    private void attempt(Delivery delivery, int attempt) {
        delivery.attempts.set(attempt);
        Exchange response = post(delivery);
        Integer status = response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        Exception error = response.getException();
        if (error == null && status != null && status >= 200 && status < 300) {
            finish(delivery);
            metrics.webhookDelivery("delivered");
            LOG.info("Delivered order to webhook: webhook-id {}, attempt {}, HTTP {}", delivery.id(), attempt, status);
            return;
        }
        boolean retriable = error != null || status == null || status == 408 || status == 429 || status >= 500;
        String reason = error != null
                ? "request failed: " + LogText.sanitize(error.toString(), 200)
                : "HTTP " + status;
        if (!retriable || attempt >= settings.webhookMaxAttempts()) {
            finish(delivery);
            deadLetter(delivery, attempt, reason + (retriable ? ", retries exhausted" : ", not retried"));
            return;
        }
        String retryAfter = error == null ? response.getMessage().getHeader("Retry-After", String.class) : null;
        Duration delay = retryDelay(attempt, retryAfter);
        String message = "Webhook delivery {} failed on attempt {} ({}); retrying in {} ms";
        if (attempt == 1) {
            LOG.warn(message, delivery.id(), attempt, reason, delay.toMillis());
        } else {
            LOG.debug(message, delivery.id(), attempt, reason, delay.toMillis());
        }
        metrics.webhookDelivery("retried");
        scheduleRetry(delivery, attempt + 1, delay);
    }

    private void scheduleRetry(Delivery delivery, int attempt, Duration delay) {
        try {
            scheduler.schedule(() -> senders.execute(() -> attempt(delivery, attempt)), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Stopping: stop() moves the delivery to the dead-letter file.
            LOG.debug("Retry of webhook delivery {} not scheduled because the bridge is stopping", delivery.id());
        }
    }

    /** Returns the exponential backoff delay, or the server's {@code Retry-After} when that is longer. */
    private Duration retryDelay(int attempt, String retryAfterHeader) {
        Duration delay = settings.webhookRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 30));
        if (delay.compareTo(settings.webhookRetryMaxDelay()) > 0) {
            delay = settings.webhookRetryMaxDelay();
        }
        Optional<Duration> retryAfter = RetryAfter.parse(retryAfterHeader, Instant.now());
        if (retryAfter.isPresent() && retryAfter.get().compareTo(delay) > 0) {
            delay = retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter.get();
        }
        return delay;
    }

    // NOTE: HTTP_TIMEOUT bounds the connection and each socket read, not the whole exchange, so a receiver that
    // trickles its response body keeps a sender thread busy for as long as it keeps sending.
    private Exchange post(Delivery delivery) {
        long timestamp = Instant.now().getEpochSecond();
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.getMessage().setBody(delivery.body());
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, "POST");
        HttpEndpoints.setQuery(exchange.getMessage(), settings.webhookUrl().orElseThrow());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader("webhook-id", delivery.id());
        exchange.getMessage().setHeader("webhook-timestamp", Long.toString(timestamp));
        signature.ifPresent(signer -> exchange.getMessage().setHeader("webhook-signature",
                signer.sign(delivery.id(), timestamp, delivery.body())));
        return template.send(endpointUri, exchange);
    }

    private void finish(Delivery delivery) {
        if (pending.remove(delivery.id()) != null) {
            pendingCount.decrementAndGet();
            pendingBytes.addAndGet(-delivery.body().length);
        }
    }

    /** Writes one dead letter; synchronized because sender threads share the file and lines must not interleave. */
    private synchronized void deadLetter(Delivery delivery, int attempts, String reason) {
        metrics.webhookDelivery("dead_lettered");
        OffsetDateTime now = OffsetDateTime.now(zone());
        LOG.error("Webhook delivery {} failed for good after {} attempts: {}; kept in the dead-letter file",
                delivery.id(), attempts, reason);
        WebhookDeadLetter letter = new WebhookDeadLetter(now, delivery.id(), attempts, reason, delivery.json());
        try {
            template.sendBodyAndHeader(DEAD_LETTER_ENDPOINT, letter, EventHeaders.DAY, now.toLocalDate().toString());
        } catch (RuntimeException e) {
            LOG.error("Could not write webhook delivery {} to the dead-letter file: {}", delivery.id(), e.toString());
        }
    }

    private ZoneId zone() {
        return settings.timezone();
    }

    private static ObjectNode requestBody(FeedEvent event) {
        ObjectNode body = EventJson.object();
        body.put("event", event.type());
        body.put("receivedAt", EventJson.timestamp(event.receivedAt()));
        OrderFields.of(event).writeTo(body);
        body.set("message", event.message());
        return body;
    }


    /** One order on its way to the webhook. */
    private record Delivery(String id, ObjectNode json, byte[] body, AtomicInteger attempts) {

        Delivery(String id, ObjectNode json) {
            this(id, json, EventJson.compact(json).getBytes(StandardCharsets.UTF_8), new AtomicInteger());
        }
    }
}
