package br.com.lepapon.bridge.sinks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import br.com.lepapon.bridge.config.BridgeSettings;

/** The webhook retry rules shared by the live sink and the dead-letter replay. */
public final class WebhookRetries {

    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private WebhookRetries() {
    }

    /** Returns true for connection errors, timeouts, 408 Request Timeout, 425 Too Early, 429 and 5xx. */
    public static boolean isRetriable(Exception error, Integer status) {
        return error != null || status == null || status == 408 || status == 425 || status == 429 || status >= 500;
    }

    /**
     * Returns the delay after a failed attempt: {@code WEBHOOK_RETRY_DELAY} doubled per attempt up to
     * {@code WEBHOOK_RETRY_MAX_DELAY}, or the server's {@code Retry-After} (at most one hour) when that is longer.
     */
    public static Duration delay(BridgeSettings settings, int attempt, String retryAfterHeader) {
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
}
