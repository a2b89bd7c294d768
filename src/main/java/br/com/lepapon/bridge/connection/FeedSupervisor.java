package br.com.lepapon.bridge.connection;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.events.EventHeaders;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection to the feed open. Every step runs on one supervisor thread, and the next attempt is
 * scheduled only after the previous one has failed or its connection has closed, so there is never more than one
 * attempt in flight or one socket open. After a failure it waits with {@link Backoff}; after a rejected handshake
 * (HTTP 401 or 403) or a policy or authentication close code it fetches a new token first.
 */
public final class FeedSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSupervisor.class);
    /**
     * How long stopping waits, counted from its start, for the connection to close and the received frames to be
     * routed, before it saves the rest to a file. Frames are routed while the connection closes, so one budget for
     * both keeps a stop within Docker's default grace period of 10 s.
     */
    private static final long DRAIN_MILLIS = 4_000;

    private final BridgeSettings settings;
    private final Vertx vertx;
    private final FrameDispatcher dispatcher;
    private final ProducerTemplate template;
    private final Backoff backoff;
    private final AtomicReference<FeedStatus> status;
    private final BridgeMetrics metrics;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "feed-supervisor"));

    // Touched only on the supervisor thread, and by stop() once that thread has ended.
    private FeedToken token;
    private volatile FeedConnection current;
    private Instant connectedAt;
    private Instant downSince;
    private String downCause;
    private boolean tokenFetchedForAttempt;
    private URI discoveredUri;
    private long reconnects;
    private volatile boolean running;

    public FeedSupervisor(BridgeSettings settings, CamelContext camelContext, Vertx vertx,
            AtomicReference<FeedStatus> status, BridgeMetrics metrics, FrameDispatcher.FrameRouter router) {
        this.settings = settings;
        this.status = status;
        this.metrics = metrics;
        this.vertx = vertx;
        this.dispatcher = new FrameDispatcher(router);
        this.template = camelContext.createProducerTemplate();
        this.backoff = new Backoff(settings.reconnectDelay(), settings.reconnectMaxDelay());
    }

    public void start() {
        running = true;
        dispatcher.start();
        executor.execute(this::attempt);
    }

    /** Closes the connection, stops reconnecting and processes the frames already received. */
    public void stop() throws InterruptedException {
        long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        running = false;
        // Interrupts an attempt in progress. An attempt that still completes finds running == false and closes.
        executor.shutdownNow();
        executor.awaitTermination(1, TimeUnit.SECONDS);
        try {
            closeCurrent().get(FeedConnection.CLOSE_WAIT_MILLIS + 500, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Closing the feed connection did not complete: {}", e.toString());
        }
        status.updateAndGet(previous -> previous.lost("feed route stopped"));
        // At least 1 ms, because a timeout of 0 would make the dispatcher's join wait forever.
        long drainMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(drainDeadline - System.nanoTime()));
        List<ReceivedFrame> unprocessed = dispatcher.stop(drainMillis);
        if (!unprocessed.isEmpty()) {
            UnprocessedFrameFile.write(settings, unprocessed);
        }
        template.stop();
    }

    private void attempt() {
        if (!running) {
            return;
        }
        URI uri;
        try {
            uri = FeedUris.withToken(feedUri(), currentToken().value());
        } catch (RuntimeException e) {
            scheduleReconnect("could not get a token: " + describe(e), "token_unavailable", false);
            return;
        }

        FeedConnection connection = new FeedConnection(vertx, dispatcher, settings.connectTimeout(),
                settings.pingInterval(), settings.pingTimeout(), settings.maxFrameBytes());
        try {
            connection.open(uri, settings.connectTimeout(), this::onClosed)
                    .toCompletionStage().toCompletableFuture()
                    .get(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            connection.abort("handshake failed");
            onHandshakeFailed(e.getCause());
            return;
        } catch (TimeoutException e) {
            connection.abort("handshake timed out");
            long timeoutMillis = settings.connectTimeout().toMillis();
            scheduleReconnect("handshake timed out: no response within " + timeoutMillis + " ms",
                    "handshake_timeout", false);
            return;
        } catch (InterruptedException e) {
            connection.abort("bridge stopping");
            Thread.currentThread().interrupt();
            return;
        }
        if (!running) {
            connection.close("bridge stopping");
            return;
        }

        boolean reconnected = connectedAt != null;
        current = connection;
        connectedAt = Instant.now();
        status.updateAndGet(FeedStatus::connectedNow);
        if (downSince == null) {
            LOG.info("Connected to feed {}", SecretMasker.maskUri(uri));
        } else {
            LOG.info("Connected to feed {} after {} ms down", SecretMasker.maskUri(uri),
                    Duration.between(downSince, connectedAt).toMillis());
            if (reconnected) {
                recordGap(downSince, connectedAt, downCause);
            }
        }
        downSince = null;
        downCause = null;
    }

    /** Writes the outage to the feed-gap file so readers know events may be missing in that window. */
    private void recordGap(Instant start, Instant end, String cause) {
        FeedGap gap = new FeedGap(start.truncatedTo(ChronoUnit.MILLIS).atZone(settings.timezone()).toOffsetDateTime(),
                end.truncatedTo(ChronoUnit.MILLIS).atZone(settings.timezone()).toOffsetDateTime(), cause);
        try {
            template.sendBodyAndHeader(FeedGap.ENDPOINT, gap, EventHeaders.DAY, gap.end().toLocalDate().toString());
        } catch (RuntimeException e) {
            LOG.error("Could not write the feed gap from {} to {}: {}", start, end, e.toString());
        }
    }

    private void onClosed(FeedConnection connection, String reason) {
        if (!running) {
            return;
        }
        try {
            executor.execute(() -> handleClosed(connection, reason));
        } catch (RejectedExecutionException e) {
            LOG.debug("Feed connection closed while stopping: {}", reason);
        }
    }

    private void handleClosed(FeedConnection connection, String reason) {
        if (connection != current) {
            return;
        }
        current = null;
        downSince = Instant.now();
        downCause = reason;
        if (Duration.between(connectedAt, downSince).compareTo(settings.stableAfter()) >= 0) {
            backoff.reset();
        }
        connection.serverCloseCode().filter(FeedSupervisor::asksForNewToken).ifPresent(code -> token = null);
        LOG.warn("Feed connection lost: {}", reason);
        status.updateAndGet(previous -> previous.lost(reason));
        scheduleReconnect(reason, "connection_lost", false);
    }

    private void onHandshakeFailed(Throwable cause) {
        if (cause instanceof UpgradeRejectedException rejected) {
            int httpStatus = rejected.getStatus();
            if (httpStatus == 401 || httpStatus == 403) {
                token = null;
                if (!tokenFetchedForAttempt) {
                    // The token was an old one: a new token is likely to work, so try again without the long wait.
                    backoff.reset();
                }
                scheduleReconnect("handshake rejected with HTTP " + httpStatus + ", a new token will be fetched",
                        "unauthorised", true);
                return;
            }
            scheduleReconnect("handshake rejected with HTTP " + httpStatus, "handshake_rejected", false);
            return;
        }
        scheduleReconnect("connection failed: " + describe(cause), "connect_failed", false);
    }

    /** Schedules the next attempt; {@code category} is the reason as a fixed word for the reconnect metric. */
    private void scheduleReconnect(String reason, String category, boolean unauthorised) {
        if (!running) {
            return;
        }
        metrics.reconnect(category);
        if (downSince == null) {
            downSince = Instant.now();
            downCause = reason;
        }
        reconnects++;
        Duration delay = backoff.nextDelay();
        Instant nextAttempt = Instant.now().plus(delay);
        status.updateAndGet(previous -> previous.backingOff(reason, nextAttempt, unauthorised));
        LOG.warn("Reconnecting to feed in {} ms (reconnect #{}): {}", delay.toMillis(), reconnects, reason);
        executor.schedule(this::attempt, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private URI feedUri() {
        if (settings.feedUrl().isPresent()) {
            return settings.feedUrl().get();
        }
        URI uri;
        try {
            uri = template.requestBody(PlatformApiRoutes.FETCH_CONNECTION_INFO, null, URI.class);
        } catch (RuntimeException e) {
            uri = settings.fallbackFeedUrl();
            LOG.warn("Connection-info endpoint failed ({}); using {}", describe(e), SecretMasker.maskUri(uri));
        }
        if (!Objects.equals(uri, discoveredUri)) {
            LOG.info("Feed URL is {}", SecretMasker.maskUri(uri));
            discoveredUri = uri;
        }
        return uri;
    }

    private FeedToken currentToken() {
        tokenFetchedForAttempt = false;
        if (token == null || token.isExpired(Instant.now())) {
            tokenFetchedForAttempt = true;
            token = template.requestBody(PlatformApiRoutes.FETCH_TOKEN, null, FeedToken.class);
            if (token == null) {
                throw new PlatformApiException("Token route returned no token");
            }
            metrics.tokenObtained();
            LOG.info("Using feed token {}", SecretMasker.maskToken(token.value()));
        }
        return token;
    }


    /** Starts closing the connection and returns a future that completes once it is closed. */
    private CompletableFuture<Void> closeCurrent() {
        if (current == null) {
            return CompletableFuture.completedFuture(null);
        }
        FeedConnection closing = current;
        current = null;
        closing.close("feed route stopping");
        LOG.info("Closing the feed connection because the feed route is stopping");
        return closing.closed();
    }

    private static String redactedUri(String uri) {
        try {
            return SecretMasker.redactEndpoint(URI.create(uri));
        } catch (IllegalArgumentException e) {
            return "(invalid URI)";
        }
    }

    /** Returns true for close codes that mean the token or the session is no longer accepted. */
    static boolean asksForNewToken(short code) {
        return code == 1008 || (code >= 4001 && code <= 4003);
    }

    /** Describes a failure in one line without secrets: URIs in the text have their token masked. */
    static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CamelExecutionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String text;
        if (cause instanceof HttpOperationFailedException failed) {
            text = "HTTP " + failed.getStatusCode() + " from " + redactedUri(failed.getUri());
        } else if (cause.getMessage() == null) {
            text = cause.getClass().getSimpleName();
        } else {
            text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return LogText.sanitize(SecretMasker.maskUri(text), 300);
    }
}
