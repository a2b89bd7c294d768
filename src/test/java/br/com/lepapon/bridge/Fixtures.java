package br.com.lepapon.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Sample frames in the platform's shapes, from src/test/resources/fixtures/events. */
public final class Fixtures {

    private Fixtures() {
    }

    /**
     * Returns the new_order fixture with another session and order id, because the webhook posts an order of a
     * session only once.
     */
    public static String order(String sessionId, int orderId) {
        return frame("new_order.json")
                .replace("\"session_id\":\"5511900000001\"", "\"session_id\":\"" + sessionId + "\"")
                .replace("\"pedidosIds\":[789]", "\"pedidosIds\":[" + orderId + "]");
    }

    /** Returns a fixture's text without the trailing newline. */
    public static String frame(String fileName) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/events/" + fileName)) {
            if (in == null) {
                throw new IllegalArgumentException("No fixture named " + fileName);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
