package br.com.lepapon.bridge.connection;

import java.time.Duration;
import java.time.OffsetDateTime;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.JsonLineRecord;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An outage of the feed between a lost connection and the next one: events sent in that window may be missing.
 *
 * @param cause the reason the connection was lost, as logged
 */
public record FeedGap(OffsetDateTime start, OffsetDateTime end, String cause) implements JsonLineRecord {

    /** The route that writes gaps to {@code <data-dir>/<yyyy-MM-dd>/feed-gaps.jsonl}. */
    public static final String ENDPOINT = "direct:feed-gap-sink";

    @Override
    public ObjectNode toJson() {
        ObjectNode line = EventJson.object();
        line.put("event", "feed_gap");
        line.put("start", EventJson.timestamp(start));
        line.put("end", EventJson.timestamp(end));
        line.put("durationMillis", Duration.between(start, end).toMillis());
        line.put("cause", cause);
        return line;
    }
}
