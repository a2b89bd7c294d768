package br.com.lepapon.bridge.simulator;

import java.time.Instant;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Generates frames in the shapes the platform sends: orders under both sets of field names, customer messages,
 * assistant replies, delivery statuses, other event types and now and then a frame that is not JSON. Names and
 * phone numbers are invented.
 */
public final class SampleEvents {

    private static final List<String> CUSTOMERS = List.of("Maria", "João", "Ana", "Pedro");
    private static final List<String> MESSAGES = List.of(
            "Oi! Vocês entregam na Vila São João? 🍔🍟",
            "Quero um X-Salada sem cebola",
            "Qual o tempo de entrega?");

    /**
     * First order number of this run, from the clock, so that a second demo run sends new order ids: the webhook
     * sink does not post an order id it accepted from the same session before. Ids stay under 8 digits, which the
     * log would mask as phone numbers.
     */
    private final long firstOrderNumber = System.currentTimeMillis() / 1000 % 10_000 * 100;
    private int counter;

    /** Returns the next frame of a repeating mix. */
    public String next() {
        counter++;
        String session = "55119" + String.format("%08d", counter % 5);
        String customer = CUSTOMERS.get(counter % CUSTOMERS.size());
        return switch (counter % 10) {
            case 0, 4 -> order(session, customer, counter % 4 == 0);
            case 1, 5 -> envelope("new_message", session,
                    new JsonObject().put("sender", customer).put("text", MESSAGES.get(counter % MESSAGES.size())));
            case 2, 6 -> envelope("gemini_reply", session,
                    new JsonObject().put("contactName", customer)
                            .put("text", "Olá, " + customer + "! Entregamos sim."));
            case 3, 7 -> envelope("message_status", session, new JsonObject()
                    .put("messageId", "wamid.SIM" + counter).put("status", "delivered").put("recipientId", session));
            case 8 -> envelope("session_update", session, new JsonObject().put("etapa", "escolhendo_lanche"));
            default -> counter % 20 == 9 ? "ping" : envelope("custom_message", session,
                    new JsonObject().put("tipo", "pedido_confirmado"));
        };
    }

    private String order(String session, String customer, boolean englishNames) {
        JsonArray items = new JsonArray().add(new JsonObject()
                .put("nome_cliente", customer).put("Obs", "Sem cebola").put("Qtde", 1 + counter % 3).put("id", 10101));
        JsonObject novo = englishNames
                ? new JsonObject().put("orderId", "A-" + (firstOrderNumber + counter)).put("totalValue", 57.9).put("items", items)
                : new JsonObject().put("tipo", "novo_pedido").put("pedidosIds", new JsonArray().add(firstOrderNumber + counter))
                        .put("itensPedido", items).put("valorTotal", 22 + counter % 7);
        return envelope("new_order", session, novo);
    }

    private static String envelope(String event, String session, JsonObject novo) {
        return new JsonObject()
                .put("event", event)
                .put("type", "custom_payload")
                .put("timestamp", Instant.now().toString())
                .put("data", new JsonObject().put("session_id", session).put("novo", novo))
                .encode();
    }
}
