package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Every sample frame through the real routes over a real socket: each lands in its sink and nothing crashes. */
class FixtureRoutingTest extends BridgeTestSupport {

    private static final Map<String, String> FILE_BY_FIXTURE = new TreeMap<>(Map.ofEntries(
            Map.entry("new_order.json", "new_order.jsonl"),
            Map.entry("new_order_alternative_names.json", "new_order.jsonl"),
            Map.entry("new_order_data_null.json", "new_order.jsonl"),
            Map.entry("new_order_missing_fields.json", "new_order.jsonl"),
            Map.entry("new_order_nulls.json", "new_order.jsonl"),
            Map.entry("new_order_without_novo.json", "new_order.jsonl"),
            Map.entry("new_order_wrong_types.json", "new_order.jsonl"),
            Map.entry("new_message.json", "new_message.jsonl"),
            Map.entry("gemini_reply.json", "gemini_reply.jsonl"),
            Map.entry("message_status.json", "message_status.jsonl"),
            Map.entry("session_update.json", "session_update.jsonl"),
            Map.entry("custom_message.json", "custom_message.jsonl"),
            Map.entry("no_event_field.json", "unknown.jsonl"),
            Map.entry("not_an_object.json", "invalid-frames.jsonl"),
            Map.entry("truncated_json.txt", "invalid-frames.jsonl"),
            Map.entry("plain_text.txt", "invalid-frames.jsonl")));

    @Test
    void everyFixtureLandsInItsFile() throws Exception {
        awaitConnected();
        FILE_BY_FIXTURE.keySet().forEach(fixture -> simulator.send(Fixtures.frame(fixture)));

        await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests().size() == 7);
        await().atMost(Duration.ofSeconds(15)).until(() -> lines("invalid-frames.jsonl").size() == 3);
        Map<String, Long> expectedCounts = new TreeMap<>();
        FILE_BY_FIXTURE.values().forEach(file -> expectedCounts.merge(file, 1L, Long::sum));
        for (Map.Entry<String, Long> expected : expectedCounts.entrySet()) {
            assertThat(lines(expected.getKey())).as(expected.getKey()).hasSize(expected.getValue().intValue());
        }
        for (Map.Entry<String, String> entry : FILE_BY_FIXTURE.entrySet()) {
            if (!entry.getValue().equals("invalid-frames.jsonl")) {
                JsonNode sent = parse(Fixtures.frame(entry.getKey()));
                assertThat(records(entry.getValue())).extracting(line -> line.path("message")).as(entry.getKey())
                        .contains(sent);
            }
        }
    }

    @Test
    void invalidFramesAreKeptWithReason() throws Exception {
        awaitConnected();
        simulator.send(Fixtures.frame("plain_text.txt"));
        simulator.send(Fixtures.frame("truncated_json.txt"));
        simulator.send(Fixtures.frame("not_an_object.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("invalid-frames.jsonl").size() == 3);
        List<JsonNode> records = records("invalid-frames.jsonl");
        assertThat(records).extracting(record -> record.path("frame").asText()).containsExactly(
                Fixtures.frame("plain_text.txt"), Fixtures.frame("truncated_json.txt"),
                Fixtures.frame("not_an_object.json"));
        assertThat(records.get(0).path("reason").asText()).startsWith("not valid JSON");
        assertThat(records.get(2).path("reason").asText()).isEqualTo("JSON ARRAY, expected an object");
    }

    @Test
    void binaryFramesAreDecodedAsUtf8() throws Exception {
        awaitConnected();
        simulator.sendBinary(Fixtures.frame("new_message.json").getBytes(StandardCharsets.UTF_8));
        simulator.sendBinary(new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
        assertThat(records("new_message.jsonl").get(0).path("message").path("data").path("novo").path("text").asText())
                .contains("São João", "🍔");
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("invalid-frames.jsonl").size() == 1);
        JsonNode invalid = records("invalid-frames.jsonl").get(0);
        assertThat(invalid.path("reason").asText()).isEqualTo("binary frame is not valid UTF-8");
        assertThat(java.util.Base64.getDecoder().decode(invalid.path("frameBase64").asText()))
                .containsExactly('{', (byte) 0xC3, (byte) 0x28, '}');
    }

    @Test
    void unsafeEventTypeGoesToOtherEvents() throws Exception {
        awaitConnected();
        simulator.send("{\"event\":\"../../escape\\nFAKE\",\"data\":{}}");

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("other-events.jsonl").size() == 1);
        assertThat(records("other-events.jsonl").get(0).path("event").asText()).isEqualTo("../../escape\nFAKE");
        assertThat(dataDir.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void loneSurrogateDoesNotTearTheFile() throws Exception {
        awaitConnected();
        simulator.send("{\"event\":\"new_order\",\"data\":{\"novo\":{\"orderId\":\"\\ud83d\",\"totalValue\":1}}}");
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_order.jsonl").size() == 2);
        List<JsonNode> records = records("new_order.jsonl");
        JsonNode firstOrder = records.get(0).path("message").path("data").path("novo");
        assertThat(firstOrder.path("orderId").asText()).isEqualTo("\ud83d");
        assertThat(records.get(1).path("message")).isEqualTo(parse(Fixtures.frame("new_order.json")));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 2);
        assertThat(receiver.requests()).extracting(request -> parse(request.body()).path("orderId").asText())
                .containsExactlyInAnyOrder("\ud83d", "789");
    }

    @Test
    void duplicateKeysMakeAnInvalidFrame() throws Exception {
        awaitConnected();
        String frame = "{\"event\":\"new_message\",\"event\":\"new_order\",\"data\":{}}";
        simulator.send(frame);

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("invalid-frames.jsonl").size() == 1);
        JsonNode record = records("invalid-frames.jsonl").get(0);
        assertThat(record.path("frame").asText()).isEqualTo(frame);
        assertThat(record.path("reason").asText()).contains("Duplicate field 'event'");
        assertThat(lines("new_order.jsonl")).isEmpty();
    }
}
