package br.com.lepapon.bridge.replay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.FeedEvent;
import br.com.lepapon.bridge.events.InvalidFrame;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A line of a daily file turned back into the frame it was written from. An event line ({@link FeedEvent}) gives
 * its {@code message}; a line of {@code invalid-frames.jsonl} ({@link InvalidFrame}) or
 * {@code unprocessed-frames.jsonl} gives its {@code frame} text.
 *
 * @param frame       the frame text: the message serialised on one line, or the frame as it was received
 * @param receivedAt  the line's {@code receivedAt}, empty when the line has none
 * @param frameBase64 the exact bytes of a binary frame that was not valid UTF-8, from an invalid-frames line
 */
record DayLine(String frame, Optional<Instant> receivedAt, Optional<String> frameBase64) {

    /** The reason the bridge gives for a binary frame that is not valid UTF-8, the only frame with base64. */
    static final String NOT_UTF8 = "binary frame is not valid UTF-8";

    /**
     * Parses one line.
     *
     * @throws InvalidLineException when the line is not a JSON object, has neither a {@code message} object nor a
     *                              {@code frame} string, or has a {@code receivedAt} that is not an ISO-8601 time
     *                              with an offset
     */
    static DayLine parse(String text) throws InvalidLineException {
        JsonNode json = InvalidLineException.readObject(text);
        Optional<Instant> receivedAt = receivedAt(json.get("receivedAt"));
        JsonNode message = json.get("message");
        if (message != null && message.isObject()) {
            return new DayLine(EventJson.compact(message), receivedAt, Optional.empty());
        }
        JsonNode frame = json.get("frame");
        if (frame != null && frame.isTextual()) {
            return new DayLine(frame.asText(), receivedAt, text(json.get("frameBase64")));
        }
        throw new InvalidLineException("has neither a message object nor a frame string");
    }

    private static Optional<Instant> receivedAt(JsonNode value) throws InvalidLineException {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidLineException("receivedAt is not a string");
        }
        try {
            return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
        } catch (DateTimeParseException e) {
            throw new InvalidLineException("receivedAt '" + LogText.sanitize(value.asText(), 40)
                    + "' is not an ISO-8601 time with an offset");
        }
    }

    private static Optional<String> text(JsonNode value) {
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }
}
