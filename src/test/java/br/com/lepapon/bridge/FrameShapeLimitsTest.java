package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import org.junit.jupiter.api.Test;

/**
 * Frames nested up to {@link EventJson#MAX_FRAME_DEPTH} levels reach the files and the webhook and stay readable in
 * the outbox. Deeper frames, frames with more than {@link EventJson#MAX_FRAME_TOKENS} tokens, a field name over
 * {@link EventJson#MAX_FRAME_NAME_LENGTH} characters or a number that BigDecimal cannot hold go to the invalid-frames
 * file with the reason, so none is lost between the parser and the sinks.
 */
class FrameShapeLimitsTest extends BridgeTestSupport {

    @Override
    protected boolean captureLogs() {
        return true;
    }

    /** Returns an order whose first item nests {@code depth} levels in all, counting the frame's own object. */
    private static String orderNested(int orderId, int depth) {
        String start = "{\"event\":\"new_order\",\"data\":{\"session_id\":\"5511900000001\",\"novo\":{\"orderId\":"
                + orderId + ",\"items\":[";
        // The frame, data, novo and the items list are 4 levels; each further level is one more list.
        int lists = depth - 4;
        return start + "[".repeat(lists) + "1" + "]".repeat(lists) + "]}}}";
    }

    @Test
    void deepestFrameIsDelivered() throws Exception {
        awaitConnected();
        simulator.send(orderNested(1, EventJson.MAX_FRAME_DEPTH));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        assertThat(records("new_order.jsonl")).hasSize(1);
        ReceivedRequest request = receiver.requests().get(0);
        assertThat(parse(request.body()).path("orderId").asInt()).isEqualTo(1);
        // The order's outbox line, three levels deeper than the frame, was written too.
        String journal = Files.readString(dataDir.resolve("outbox").resolve("webhook-outbox.jsonl"));
        assertThat(journal).contains("\"op\":\"add\"");
    }

    @Test
    void deeperFrameIsInvalid() throws Exception {
        awaitConnected();
        simulator.send(orderNested(2, EventJson.MAX_FRAME_DEPTH + 1));
        simulator.send(orderNested(3, 4));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        assertThat(records("invalid-frames.jsonl")).hasSize(1);
        assertThat(records("invalid-frames.jsonl").get(0).path("reason").asText())
                .startsWith("over a size limit of the frame parser");
        assertThat(parse(receiver.requests().get(0).body()).path("orderId").asInt()).isEqualTo(3);
    }

    @Test
    void tooManyTokensIsInvalid() throws Exception {
        awaitConnected();
        // Each {"":0} is four tokens.
        long objects = EventJson.MAX_FRAME_TOKENS / 4 + 1;
        String items = "{\"\":0},".repeat((int) objects) + "{\"\":0}";
        simulator.send("{\"event\":\"new_order\",\"data\":{\"novo\":{\"orderId\":4,\"items\":[" + items + "]}}}");
        simulator.send(orderNested(5, 4));

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests().size() == 1);
        assertThat(records("invalid-frames.jsonl")).hasSize(1);
        assertThat(records("invalid-frames.jsonl").get(0).path("reason").asText())
                .contains("Token count");
        assertThat(parse(receiver.requests().get(0).body()).path("orderId").asInt()).isEqualTo(5);
    }

    @Test
    void numberPastBigDecimalIsInvalid() throws Exception {
        awaitConnected();
        simulator.send("{\"event\":\"new_order\",\"data\":{\"novo\":{\"orderId\":6,\"valorTotal\":1e2147483648}}}");
        simulator.send(orderNested(7, 4));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        assertThat(records("invalid-frames.jsonl")).hasSize(1);
        assertThat(records("invalid-frames.jsonl").get(0).path("reason").asText())
                .startsWith("not valid JSON: invalid number");
        assertThat(parse(receiver.requests().get(0).body()).path("orderId").asInt()).isEqualTo(7);
    }

    @Test
    void longFieldNameIsInvalid() throws Exception {
        awaitConnected();
        String name = "k".repeat(EventJson.MAX_FRAME_NAME_LENGTH + 1);
        simulator.send("{\"event\":\"new_message\",\"" + name + "\":1}");
        simulator.send("{\"event\":\"new_message\",\"" + name.substring(1) + "\":1}");

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
        assertThat(records("invalid-frames.jsonl")).hasSize(1);
        assertThat(records("invalid-frames.jsonl").get(0).path("reason").asText())
                .startsWith("over a size limit of the frame parser").contains("Name length");
    }

}
