package br.com.lepapon.bridge.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The fields of an order under one set of names, whichever names the platform used. Values are kept as received, so
 * a number stays a number with its exact value and a string stays a string. A field that is missing or of the wrong
 * kind becomes null, and items that are not a list become an empty list.
 *
 * @param orderId   {@code orderId}, else the first of {@code pedidosIds}
 * @param total     {@code totalValue}, else {@code valorTotal}
 * @param items     {@code items}, else {@code itensPedido}
 * @param sessionId {@code data.session_id}
 */
public record OrderFields(JsonNode orderId, JsonNode total, ArrayNode items, JsonNode sessionId) {

    public static OrderFields of(FeedEvent event) {
        ObjectNode payload = event.payload();
        return new OrderFields(orderId(payload), firstScalar(payload.get("totalValue"), payload.get("valorTotal")),
                items(payload), scalarOrNull(event.sessionId()));
    }

    private static JsonNode orderId(ObjectNode payload) {
        JsonNode orderId = scalarOrNull(payload.get("orderId"));
        if (!orderId.isNull()) {
            return orderId;
        }
        JsonNode ids = payload.get("pedidosIds");
        if (ids != null && ids.isArray()) {
            return ids.isEmpty() ? NullNode.getInstance() : scalarOrNull(ids.get(0));
        }
        // A single id sent without the list around it.
        return scalarOrNull(ids);
    }

    private static ArrayNode items(ObjectNode payload) {
        JsonNode items = payload.get("items");
        if (items == null || items.isNull()) {
            items = payload.get("itensPedido");
        }
        return items != null && items.isArray() ? (ArrayNode) items : EventJson.MAPPER.createArrayNode();
    }

    private static JsonNode firstScalar(JsonNode first, JsonNode second) {
        JsonNode value = scalarOrNull(first);
        return value.isNull() ? scalarOrNull(second) : value;
    }

    private static JsonNode scalarOrNull(JsonNode node) {
        return node != null && (node.isNumber() || node.isTextual()) ? node : NullNode.getInstance();
    }

    /** Adds the fields to a webhook body or a log record. */
    public void writeTo(ObjectNode target) {
        target.set("orderId", orderId);
        target.set("total", total);
        target.set("items", items);
        target.set("sessionId", sessionId);
    }
}
