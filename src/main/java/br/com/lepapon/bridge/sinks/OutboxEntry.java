package br.com.lepapon.bridge.sinks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Pattern;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.RecentOrders.OrderKey;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An order in the webhook outbox.
 *
 * @param webhookId  the id every attempt carries in the {@code webhook-id} header
 * @param acceptedAt when the bridge accepted the order, which starts the retry time budget
 * @param sessionId  the session the order belongs to, or null when the frame had none
 * @param key        the de-duplication key, or null when the order has no order id
 * @param body       the request body as compact JSON in UTF-8, as {@link EventJson#compactBytes} writes it, or null
 *                   when it is only in the outbox's journal ({@link WebhookOutbox#body} reads it back). Kept as
 *                   bytes instead of a JSON tree, a pending order of the benchmark's mix takes about 1.5 KiB of heap
 *                   instead of 3.9 KiB.
 */
record OutboxEntry(String webhookId, Instant acceptedAt, String sessionId, OrderKey key, byte[] body) {

    /** A webhook-id that can go into an HTTP header as it is. */
    private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    /** Creates an entry for a request body given as a JSON tree. */
    static OutboxEntry of(String webhookId, Instant acceptedAt, String sessionId, OrderKey key, ObjectNode body) {
        return new OutboxEntry(webhookId, acceptedAt, sessionId, key, EventJson.compactBytes(body));
    }

    /** Returns this entry without its body, which the outbox's journal keeps. */
    OutboxEntry withoutBody() {
        return new OutboxEntry(webhookId, acceptedAt, sessionId, key, null);
    }

    /** Returns the request body as a JSON tree. */
    ObjectNode bodyTree() {
        return bodyTree(body);
    }

    /** Returns a request body given as compact JSON in UTF-8 as a JSON tree. */
    static ObjectNode bodyTree(byte[] body) {
        if (body == null) {
            throw new IllegalStateException("An outbox entry's body is only in the journal");
        }
        try {
            return (ObjectNode) EventJson.read(new String(body, StandardCharsets.UTF_8));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("An outbox entry's body is not a JSON object", e);
        }
    }

    /**
     * Returns the entry's {@code add} line of the journal in UTF-8, newline included. The body is compact JSON already,
     * so it is copied into the line as it is.
     */
    byte[] toJournalLine() {
        if (body == null) {
            throw new IllegalStateException("An outbox entry without its body cannot be written to the journal");
        }
        ObjectNode fields = EventJson.object();
        fields.put("op", "add");
        fields.put("webhookId", webhookId);
        fields.put("acceptedAt", acceptedAt.toString());
        fields.put("sessionId", sessionId);
        fields.put("orderId", key == null ? null : key.orderId());
        byte[] head = EventJson.compactBytes(fields);
        byte[] bodyField = ",\"body\":".getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length - 1 + bodyField.length + body.length + 2];
        // The head without its closing brace, then the body field, the brace and the newline.
        System.arraycopy(head, 0, line, 0, head.length - 1);
        System.arraycopy(bodyField, 0, line, head.length - 1, bodyField.length);
        System.arraycopy(body, 0, line, head.length - 1 + bodyField.length, body.length);
        line[line.length - 2] = '}';
        line[line.length - 1] = '\n';
        return line;
    }

    /**
     * Returns the order of an {@code add} line of the journal, without its body.
     *
     * @throws IllegalArgumentException when a field is missing or of the wrong kind
     * @throws java.time.format.DateTimeParseException when the acceptance time is not an ISO instant
     */
    static OutboxEntry fromJournalLine(JournalLineFields line) {
        String webhookId = line.required("webhookId");
        if (!WEBHOOK_ID.matcher(webhookId).matches()) {
            throw new IllegalArgumentException("webhookId is not 1 to 256 printable ASCII characters");
        }
        Instant acceptedAt = Instant.parse(line.required("acceptedAt"));
        String sessionId = line.optional("sessionId");
        String orderId = line.optional("orderId");
        if (!line.hasBody()) {
            throw new IllegalArgumentException("body is not a JSON object");
        }
        OrderKey key = orderId == null ? null : new OrderKey(sessionId == null ? "" : sessionId, orderId);
        return new OutboxEntry(webhookId, acceptedAt, sessionId, key, null);
    }
}
