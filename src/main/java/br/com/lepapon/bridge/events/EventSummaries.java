package br.com.lepapon.bridge.events;

import br.com.lepapon.bridge.LogText;
import com.fasterxml.jackson.databind.JsonNode;

/** One-line log summaries of events; values from the network are sanitised and phone numbers masked. */
public final class EventSummaries {

    private EventSummaries() {
    }

    public static String summarize(FeedEvent event) {
        String session = LogText.maskPhone(event.sessionId().isValueNode() ? event.sessionId().asText() : null);
        String type = LogText.sanitize(event.type(), 64);
        return switch (event.type()) {
            case "new_order" -> {
                OrderFields order = OrderFields.of(event);
                yield "Order " + value(order.orderId()) + " total " + amount(order.total()) + " items "
                        + order.items().size() + " session " + session;
            }
            case "message_status" -> "message_status " + value(event.payload().path("status"))
                    + " session " + session;
            default -> type + " session " + session;
        };
    }

    /** Returns an amount for the log as it is: a long decimal would otherwise look like a phone number. */
    private static String amount(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? LogText.sanitize(node.asText(), 40) : "none";
    }

    /** Returns a value for the log, with anything that looks like a phone number masked. */
    private static String value(JsonNode node) {
        return node.isValueNode() && !node.isNull() ? LogText.maskPhone(LogText.sanitize(node.asText(), 40)) : "none";
    }
}
