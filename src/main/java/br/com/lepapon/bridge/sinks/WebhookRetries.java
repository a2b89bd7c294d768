package br.com.lepapon.bridge.sinks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import br.com.lepapon.bridge.HttpEndpoints;
import br.com.lepapon.bridge.config.BridgeSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.support.DefaultExchange;

/** The webhook request and retry rules shared by the live sink and the dead-letter replay. */
public final class WebhookRetries {

    /**
     * Options of the webhook's camel-http endpoint. A status other than 2xx is a response to act on, not an
     * exception. Only the status and the Retry-After header of a response are used, so its body is not read into the
     * exchange and the request's headers are not copied to the response. That cut the sender threads' CPU time per
     * request by about a sixth.
     */
    public static final String[] ENDPOINT_OPTIONS = {
        "throwExceptionOnFailure=false", "ignoreResponseBody=true", "copyHeaders=false"};
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private WebhookRetries() {
    }

    /**
     * Creates the POST of one delivery with the Standard Webhooks headers: {@code webhook-id}, a
     * {@code webhook-timestamp} of now and, with a secret, {@code webhook-signature}.
     */
    public static Exchange request(CamelContext context, URI webhookUrl, String webhookId, byte[] body,
            Optional<WebhookSignature> signature) {
        long timestamp = Instant.now().getEpochSecond();
        Exchange exchange = new DefaultExchange(context);
        Message message = exchange.getMessage();
        message.setBody(body);
        // camel-http reads this header as its HttpMethods enum. The string "POST" made Camel's type converter look
        // the enum up on every request.
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        HttpEndpoints.setQuery(message, webhookUrl);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("webhook-id", webhookId);
        message.setHeader("webhook-timestamp", Long.toString(timestamp));
        signature.ifPresent(signer -> message.setHeader("webhook-signature", signer.sign(webhookId, timestamp, body)));
        return exchange;
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
