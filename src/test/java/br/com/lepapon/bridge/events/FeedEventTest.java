package br.com.lepapon.bridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;

import br.com.lepapon.bridge.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedEventTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"event\":\"new_order\",\"data\":{\"novo\":{\"a\":1}}}   | new_order | {\"a\":1}",
        "{\"event\":null,\"data\":{\"b\":2}}                       | unknown   | {\"b\":2}",
        "{\"event\":42,\"data\":{\"novo\":\"text\",\"c\":3}}       | unknown   | {\"novo\":\"text\",\"c\":3}",
        "{\"data\":[1,2]}                                          | unknown   | {}",
        "{\"event\":\"x\"}                                         | x         | {}",
    })
    void typeAndPayloadFollowTheFallbacks(String frame, String type, String payload) throws Exception {
        FeedEvent event = FeedEvent.of((ObjectNode) EventJson.read(frame.strip()), OffsetDateTime.now());
        assertThat(event.type()).isEqualTo(type.strip());
        assertThat(event.payload()).hasToString(payload.strip());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "new_message.json,    new_message",
        "gemini_reply.json,   gemini_reply",
        "message_status.json, message_status",
        "no_event_field.json, unknown",
    })
    void fixturesHaveTheirType(String fixture, String type) throws Exception {
        ObjectNode message = (ObjectNode) EventJson.read(Fixtures.frame(fixture));
        assertThat(FeedEvent.of(message, OffsetDateTime.now()).type()).isEqualTo(type);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "new_order,         new_order",
        "Custom_Type_2,     Custom_Type_2",
        "../../etc/passwd,  other-events",
        "'a b',             other-events",
        "'',                other-events",
        "invalid-frames,    other-events",
    })
    void fileNameAcceptsOnlySafeNames(String type, String fileName) {
        assertThat(EventTypes.fileName(type)).isEqualTo(fileName);
    }
}
