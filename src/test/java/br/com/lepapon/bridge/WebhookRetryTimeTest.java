package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** With no attempt limit, the retry time budget ends the retries. */
class WebhookRetryTimeTest extends BridgeTestSupport {

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.webhook.max-attempts", "0");
        properties.put("lepapon.webhook.max-retry-time", "1");
        return properties;
    }

    @Test
    void retryTimeBudgetEndsRetries() throws Exception {
        awaitConnected();
        receiver.answerAll(503);
        long start = System.nanoTime();
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("webhook-dead-letters.jsonl").size() == 1);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        JsonNode letter = records("webhook-dead-letters.jsonl").get(0);
        assertThat(letter.path("reason").asText()).startsWith("HTTP 503, retry time exhausted");
        // Retries are 50 to 200 ms apart, so a 1 s budget allows several attempts, and a dead letter comes
        // just before the next delay would pass the budget.
        assertThat(letter.path("attempts").asInt()).isGreaterThan(3);
        assertThat(elapsed).isGreaterThan(Duration.ofMillis(700));
    }
}
