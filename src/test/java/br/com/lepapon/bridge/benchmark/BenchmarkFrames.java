package br.com.lepapon.bridge.benchmark;

import java.time.OffsetDateTime;
import java.util.List;

import br.com.lepapon.bridge.Fixtures;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.EventTypes;
import br.com.lepapon.bridge.events.FeedEvent;
import br.com.lepapon.bridge.simulator.SampleEvents;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Numbered frames in the platform's shapes: the mix of {@link SampleEvents} (orders under both sets of field
 * names, customer messages, assistant replies, delivery statuses, other types), with every 25th frame one of the
 * JSON-object fixtures instead (orders with missing, null or oddly typed fields, a message without an event
 * field). Each frame gets a {@code "seq"} field first, so that its line and its webhook request can be matched to
 * it. Frames that are not JSON objects are left out, because they cannot carry a number. The bridge does not post
 * an order whose session and order id it accepted before, and such an order reaches neither the webhook nor the
 * dead-letter file. The fixtures repeat, so each fixture order gets an order id of its own.
 */
final class BenchmarkFrames {

    /** What precedes the number in a daily-file line, a dead letter and a webhook body. */
    static final byte[] SEQ_MARKER = "\"message\":{\"seq\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static final List<String> FIXTURES = List.of(
            "new_order.json", "new_order_alternative_names.json", "new_order_missing_fields.json",
            "new_order_nulls.json", "new_order_data_null.json", "new_order_without_novo.json",
            "new_order_wrong_types.json", "new_message.json", "gemini_reply.json", "message_status.json",
            "session_update.json", "custom_message.json", "no_event_field.json");
    private static final int FIXTURE_EVERY = 25;

    private final SampleEvents samples = new SampleEvents();
    private final List<String> fixtures = FIXTURES.stream().map(Fixtures::frame).toList();
    private final FrameTracker tracker;
    private int nextSeq;

    BenchmarkFrames(FrameTracker tracker) {
        this.tracker = tracker;
    }

    /** Returns the next frame and registers the file its line belongs in with the tracker. */
    Frame next() {
        int seq = nextSeq++;
        String body = seq % FIXTURE_EVERY == FIXTURE_EVERY - 1
                ? withUniqueOrderId(fixtures.get((seq / FIXTURE_EVERY) % fixtures.size()), seq)
                : nextSampleObject();
        String text = "{\"seq\":" + seq + "," + body.substring(1);
        String type = eventType(text);
        tracker.expect(seq, EventTypes.fileName(type), "new_order".equals(type));
        return new Frame(seq, text);
    }

    /** Returns the next {@code count} frames. */
    Frame[] next(int count) {
        Frame[] frames = new Frame[count];
        for (int i = 0; i < count; i++) {
            frames[i] = next();
        }
        return frames;
    }

    private String nextSampleObject() {
        String frame = samples.next();
        while (!frame.startsWith("{")) {
            frame = samples.next();
        }
        return frame;
    }

    /**
     * Returns the frame with its order id made unique by the frame's number, in the field the bridge reads it from
     * ({@code orderId}, else the first of {@code pedidosIds}) and of the same JSON type. Frames without an order id
     * are returned as they are.
     */
    private static String withUniqueOrderId(String frame, int seq) {
        if (!"new_order".equals(eventType(frame))) {
            return frame;
        }
        ObjectNode message = (ObjectNode) parse(frame);
        ObjectNode payload = FeedEvent.of(message, OffsetDateTime.now()).payload();
        JsonNode orderId = payload.get("orderId");
        JsonNode ids = payload.get("pedidosIds");
        if (isScalar(orderId)) {
            payload.set("orderId", uniqueId(orderId, seq));
        } else if (ids instanceof ArrayNode list && !list.isEmpty() && isScalar(list.get(0))) {
            list.set(0, uniqueId(list.get(0), seq));
        } else if (isScalar(ids)) {
            payload.set("pedidosIds", uniqueId(ids, seq));
        } else {
            return frame;
        }
        return EventJson.compact(message);
    }

    private static boolean isScalar(JsonNode node) {
        return node != null && (node.isNumber() || node.isTextual());
    }

    private static JsonNode uniqueId(JsonNode id, int seq) {
        return id.isNumber()
                ? LongNode.valueOf(id.asLong() * 10_000_000L + seq)
                : TextNode.valueOf(id.asText() + "-" + seq);
    }

    /** Returns the type the bridge gives the frame, as {@link FeedEvent#of} does. */
    private static String eventType(String text) {
        JsonNode event = parse(text).get("event");
        return event != null && event.isTextual() ? event.asText() : FeedEvent.UNKNOWN_TYPE;
    }

    private static JsonNode parse(String text) {
        try {
            return EventJson.read(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A benchmark frame is not valid JSON: " + text, e);
        }
    }

    /** One numbered frame. */
    record Frame(int seq, String text) {
    }
}
