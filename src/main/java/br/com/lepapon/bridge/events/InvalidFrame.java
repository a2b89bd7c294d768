package br.com.lepapon.bridge.events;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A frame that is not a JSON object, kept with the reason so nothing is dropped silently. */
public record InvalidFrame(OffsetDateTime receivedAt, String reason, String frame) implements JsonLineRecord {

    @Override
    public ObjectNode toJson() {
        ObjectNode line = EventJson.object();
        line.put("receivedAt", receivedAt.toString());
        line.put("reason", reason);
        line.put("frame", frame);
        return line;
    }
}
