package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class WebhookRedeliveryTest extends BridgeTestSupport {

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.webhook.max-attempts", "4");
        return properties;
    }

    @Test
    void serverErrorsAreRetriedWithOneId() throws Exception {
        awaitConnected();
        for (int i = 0; i < 3; i++) {
            receiver.answerNext(500, Map.of());
        }
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 4);
        List<ReceivedRequest> requests = receiver.requests();
        assertThat(requests).extracting(ReceivedRequest::answeredStatus).containsExactly(500, 500, 500, 200);
        assertThat(requests).extracting(request -> request.headers().get("webhook-id")).containsOnly(
                requests.get(0).headers().get("webhook-id"));
        assertThat(lines("webhook-dead-letters.jsonl")).isEmpty();
    }

    @Test
    void tooEarlyAndTimeoutAreRetried() throws Exception {
        awaitConnected();
        receiver.answerNext(425, Map.of());
        receiver.answerNext(408, Map.of());
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 3);
        assertThat(receiver.requests()).extracting(ReceivedRequest::answeredStatus).containsExactly(425, 408, 200);
    }

    @Test
    void clientErrorGoesToDeadLetterAtOnce() throws Exception {
        awaitConnected();
        receiver.answerNext(400, Map.of());
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("webhook-dead-letters.jsonl").size() == 1);
        JsonNode letter = records("webhook-dead-letters.jsonl").get(0);
        assertThat(letter.path("reason").asText()).isEqualTo("HTTP 400, not retried");
        assertThat(letter.path("attempts").asInt()).isEqualTo(1);
        assertThat(letter.path("webhookId").asText()).isEqualTo(receiver.requests().get(0).headers().get("webhook-id"));
        assertThat(letter.path("delivery").path("orderId").asInt()).isEqualTo(789);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void exhaustedRetriesGoToDeadLetter() throws Exception {
        awaitConnected();
        for (int i = 0; i < 4; i++) {
            receiver.answerNext(503, Map.of());
        }
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("webhook-dead-letters.jsonl").size() == 1);
        JsonNode letter = records("webhook-dead-letters.jsonl").get(0);
        assertThat(letter.path("reason").asText()).isEqualTo("HTTP 503, retries exhausted (4 attempts)");
        assertThat(letter.path("attempts").asInt()).isEqualTo(4);
        assertThat(receiver.requests()).hasSize(4);
    }

    @Test
    void retryAfterIsHonoured() throws Exception {
        awaitConnected();
        receiver.answerNext(429, Map.of("Retry-After", "2"));
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 2);
        List<ReceivedRequest> requests = receiver.requests();
        long first = Long.parseLong(requests.get(0).headers().get("webhook-timestamp"));
        long second = Long.parseLong(requests.get(1).headers().get("webhook-timestamp"));
        // Timestamps are whole seconds, so a 2 s wait shows as at least 1 s between them.
        assertThat(second - first).isGreaterThanOrEqualTo(1);
        assertThat(requests.get(1).answeredStatus()).isEqualTo(200);
    }

    @Test
    void unreachableWebhookIsRetried() throws Exception {
        awaitConnected();
        receiver.close();
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("webhook-dead-letters.jsonl").size() == 1);
        JsonNode letter = records("webhook-dead-letters.jsonl").get(0);
        assertThat(letter.path("reason").asText()).startsWith("request failed").endsWith("retries exhausted (4 attempts)");
        assertThat(letter.path("attempts").asInt()).isEqualTo(4);
        receiver = null;
    }
}
