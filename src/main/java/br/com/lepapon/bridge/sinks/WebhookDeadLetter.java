package br.com.lepapon.bridge.sinks;

import java.time.OffsetDateTime;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.JsonLineRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A webhook delivery that failed for good, kept with the reason and the body that would have been posted. */
public record WebhookDeadLetter(OffsetDateTime failedAt, String webhookId, int attempts, String reason,
        ObjectNode delivery) implements JsonLineRecord {

    @Override
    public ObjectNode toJson() {
        ObjectNode line = EventJson.object();
        line.put("failedAt", EventJson.timestamp(failedAt));
        line.put("webhookId", webhookId);
        line.put("attempts", attempts);
        line.put("reason", reason);
        line.set("delivery", delivery);
        return line;
    }
}
