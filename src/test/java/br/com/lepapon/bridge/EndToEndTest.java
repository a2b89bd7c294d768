package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import br.com.lepapon.bridge.sinks.WebhookSignature;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The simulator listens on 127.0.0.2 and announces ws://localhost:port, so the bridge can only connect if it
 * replaces localhost with the connection-info endpoint's host.
 */
class EndToEndTest extends BridgeTestSupport {

    @Override
    protected PlatformSimulator createSimulator() {
        return new PlatformSimulator("127.0.0.2", null);
    }

    @Test
    void orderReachesFileAndWebhook() throws Exception {
        awaitConnected();
        assertThat(simulator.tokenRequests()).isEqualTo(1);
        assertThat(simulator.tokensSeen()).containsExactly(simulator.currentToken());

        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_order.jsonl").size() == 1);
        JsonNode line = records("new_order.jsonl").get(0);
        assertThat(line.path("event").asText()).isEqualTo("new_order");
        assertThat(OffsetDateTime.parse(line.path("receivedAt").asText()).getOffset())
                .isEqualTo(ZONE.getRules().getOffset(java.time.Instant.now()));
        assertThat(line.path("message")).isEqualTo(parse(Fixtures.frame("new_order.json")));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        ReceivedRequest request = receiver.requests().get(0);
        JsonNode body = parse(request.body());
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers().get("Content-Type")).startsWith("application/json");
        assertThat(body.path("orderId").asInt()).isEqualTo(789);
        assertThat(body.path("total").toString()).isEqualTo("22");
        assertThat(body.path("items").size()).isEqualTo(1);
        assertThat(body.path("sessionId").asText()).isEqualTo("5511900000001");
        assertThat(body.path("message")).isEqualTo(parse(Fixtures.frame("new_order.json")));

        String id = request.headers().get("webhook-id");
        long timestamp = Long.parseLong(request.headers().get("webhook-timestamp"));
        String expected = new WebhookSignature("test-webhook-secret")
                .sign(id, timestamp, request.body().getBytes(StandardCharsets.UTF_8));
        assertThat(request.headers().get("webhook-signature")).isEqualTo(expected);
    }

    @Test
    void droppedConnectionIsReestablished() throws Exception {
        awaitConnected();
        simulator.dropConnections();

        awaitConnectedAfter(2);
        simulator.send(Fixtures.frame("new_message.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
    }

    @Test
    void rotatedTokenIsFetchedAfterRejection() throws Exception {
        awaitConnected();
        String oldToken = simulator.currentToken();
        simulator.rotateToken();
        simulator.closeConnections((short) 1001, "going away");

        awaitConnectedAfter(3);
        List<String> tokens = simulator.tokensSeen();
        assertThat(tokens).containsExactly(oldToken, oldToken, simulator.currentToken());
        assertThat(simulator.tokenRequests()).isEqualTo(2);
    }
}
