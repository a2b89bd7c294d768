package br.com.lepapon.bridge.events;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A parsed feed message.
 *
 * @param receivedAt when the bridge read it, in the configured time zone
 * @param type       the {@code event} field, or {@code unknown} when it is missing, null or not a string; it comes
 *                   from the network, so use {@link EventTypes#fileName} wherever it names something
 * @param message    the message as received
 * @param payload    {@code data.novo} when it is an object, else {@code data} when it is an object, else empty
 */
public record FeedEvent(OffsetDateTime receivedAt, String type, ObjectNode message, ObjectNode payload)
        implements JsonLineRecord {

    public static final String UNKNOWN_TYPE = "unknown";

    public static FeedEvent of(ObjectNode message, OffsetDateTime receivedAt) {
        JsonNode event = message.get("event");
        String type = event != null && event.isTextual() ? event.asText() : UNKNOWN_TYPE;
        JsonNode data = message.path("data");
        JsonNode novo = data.path("novo");
        ObjectNode payload;
        if (novo.isObject()) {
            payload = (ObjectNode) novo;
        } else if (data.isObject()) {
            payload = (ObjectNode) data;
        } else {
            payload = EventJson.object();
        }
        return new FeedEvent(receivedAt, type, message, payload);
    }

    /** Returns {@code data.session_id} as received (a string, a number or null). */
    public JsonNode sessionId() {
        return message.path("data").path("session_id");
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode line = EventJson.object();
        line.put("receivedAt", EventJson.timestamp(receivedAt));
        line.put("event", type);
        line.set("message", message);
        return line;
    }
}
