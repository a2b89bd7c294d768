package br.com.lepapon.bridge.replay;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.WebhookDeadLetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A line of a dead-letter file, as {@link WebhookDeadLetter} writes it, reduced to what a new delivery needs.
 *
 * @param webhookId the id of the original delivery, sent again so that the receiver can drop duplicates
 * @param delivery  the request body that the bridge would have posted
 * @param body      {@code delivery} serialised as the bridge serialises request bodies
 */
record DeadLetterLine(String webhookId, ObjectNode delivery, byte[] body) {

    /** An HTTP header value must be visible ASCII; the bridge writes {@code msg_} and 32 hex digits. */
    private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    /**
     * Parses one line.
     *
     * @throws InvalidLineException when the line is not a JSON object, or its {@code webhookId} or
     *                              {@code delivery} is missing or of the wrong type
     */
    static DeadLetterLine parse(String text) throws InvalidLineException {
        JsonNode json = InvalidLineException.readObject(text);
        JsonNode id = json.get("webhookId");
        if (id == null || !id.isTextual()) {
            throw new InvalidLineException("missing webhookId, or not a string");
        }
        if (!WEBHOOK_ID.matcher(id.asText()).matches()) {
            throw new InvalidLineException("webhookId is not 1 to 256 visible ASCII characters");
        }
        JsonNode delivery = json.get("delivery");
        if (delivery == null || !delivery.isObject()) {
            throw new InvalidLineException("missing delivery, or not a JSON object");
        }
        ObjectNode body = (ObjectNode) delivery;
        return new DeadLetterLine(id.asText(), body, EventJson.compact(body).getBytes(StandardCharsets.UTF_8));
    }
}
