package br.com.lepapon.bridge.replay;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import br.com.lepapon.bridge.HttpEndpoints;
import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.sinks.WebhookRetries;
import br.com.lepapon.bridge.sinks.WebhookSignature;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts dead letters to the webhook one at a time, waiting between attempts. The request is the one the bridge's
 * webhook sink sends: the same body, the original {@code webhook-id}, and a new {@code webhook-timestamp} and
 * {@code webhook-signature} on each attempt. Connection errors, timeouts, 408, 425, 429 and 5xx are retried up to
 * {@code WEBHOOK_MAX_ATTEMPTS} attempts (6 when it is 0), after a delay that starts at {@code WEBHOOK_RETRY_DELAY} and doubles up to
 * {@code WEBHOOK_RETRY_MAX_DELAY}, or after {@code Retry-After} when that is longer (at most one hour).
 */
final class WebhookResender {

    /** Attempts per dead letter when {@code WEBHOOK_MAX_ATTEMPTS} is 0 (no limit), so a replay always ends. */
    static final int DEFAULT_MAX_ATTEMPTS = 6;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookResender.class);

    private final BridgeSettings settings;
    private final CamelContext camelContext;
    private final ProducerTemplate template;
    private final URI webhookUrl;
    private final String endpointUri;
    private final Optional<WebhookSignature> signature;

    WebhookResender(BridgeSettings settings, CamelContext camelContext) {
        this.settings = settings;
        this.camelContext = camelContext;
        this.template = camelContext.createProducerTemplate();
        this.webhookUrl = settings.webhookUrl().orElseThrow(
                () -> new IllegalArgumentException("WEBHOOK_URL is not set"));
        this.endpointUri = HttpEndpoints.withTimeouts(webhookUrl, settings.httpTimeout(),
                WebhookRetries.ENDPOINT_OPTIONS);
        this.signature = settings.webhookSecret().map(WebhookSignature::new);
    }

    /**
     * Posts one dead letter until it is accepted, rejected with a status that is not retried, or out of attempts.
     *
     * @param label names the letter in log lines, for example {@code line 3}
     */
    Outcome deliver(DeadLetterLine letter, String label) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Exchange response = post(letter);
            Integer status = response.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            Exception error = response.getException();
            if (error == null && status != null && status >= 200 && status < 300) {
                return new Outcome(true, attempt, "HTTP " + status);
            }
            boolean retriable = WebhookRetries.isRetriable(error, status);
            String reason = error != null
                    ? "request failed: " + LogText.sanitize(error.toString(), 200)
                    : "HTTP " + status;
            if (!retriable) {
                return new Outcome(false, attempt, reason + ", not retried");
            }
            if (attempt >= maxAttempts(settings)) {
                return new Outcome(false, attempt, reason + ", retries exhausted");
            }
            String retryAfter = error == null ? response.getMessage().getHeader("Retry-After", String.class) : null;
            Duration delay = WebhookRetries.delay(settings, attempt, retryAfter);
            LOG.warn("{}: webhook-id {} failed on attempt {} ({}); retrying in {} ms", label, letter.webhookId(),
                    attempt, reason, delay.toMillis());
            Thread.sleep(delay.toMillis());
        }
    }

    /** Returns {@code WEBHOOK_MAX_ATTEMPTS}, or {@link #DEFAULT_MAX_ATTEMPTS} when that is 0. */
    static int maxAttempts(BridgeSettings settings) {
        return settings.webhookMaxAttempts() > 0 ? settings.webhookMaxAttempts() : DEFAULT_MAX_ATTEMPTS;
    }

    private Exchange post(DeadLetterLine letter) {
        Exchange request = WebhookRetries.request(camelContext, webhookUrl, letter.webhookId(), letter.body(),
                signature);
        return template.send(endpointUri, request);
    }

    /**
     * The outcome of one dead letter's delivery.
     *
     * @param detail the last status, such as {@code HTTP 200}, or why it failed
     */
    record Outcome(boolean delivered, int attempts, String detail) {
    }
}
