package br.com.lepapon.bridge.connection;

import java.time.Instant;
import java.util.Optional;

/**
 * One WebSocket message as it arrived.
 *
 * @param text          the message text; binary messages are decoded as UTF-8
 * @param receivedAt    when the bridge read it from the socket
 * @param decodingError the reason a binary message is not valid UTF-8, in which case {@code text} has replacement
 *                      characters
 * @param bytes         the message as received, kept only when it could not be decoded
 */
public record ReceivedFrame(String text, Instant receivedAt, Optional<String> decodingError, Optional<byte[]> bytes) {

    public ReceivedFrame(String text, Instant receivedAt, Optional<String> decodingError) {
        this(text, receivedAt, decodingError, Optional.empty());
    }

    public static ReceivedFrame text(String text) {
        return new ReceivedFrame(text, Instant.now(), Optional.empty());
    }
}
