package br.com.lepapon.bridge.events;

import java.time.OffsetDateTime;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A frame that is not a JSON object, kept with the reason so nothing is dropped silently.
 *
 * @param frameBase64 the exact bytes of a binary frame that is not valid UTF-8, whose {@code frame} text is lossy
 */
public record InvalidFrame(OffsetDateTime receivedAt, String reason, String frame, Optional<String> frameBase64)
        implements JsonLineRecord {

    @Override
    public ObjectNode toJson() {
        ObjectNode line = EventJson.object();
        line.put("receivedAt", EventJson.timestamp(receivedAt));
        line.put("reason", reason);
        line.put("frame", frame);
        frameBase64.ifPresent(base64 -> line.put("frameBase64", base64));
        return line;
    }
}
