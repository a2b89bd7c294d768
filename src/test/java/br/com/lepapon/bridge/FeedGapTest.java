package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Each reconnect writes a feed_gap record with the start, end and cause of the outage. */
class FeedGapTest extends BridgeTestSupport {

    @Test
    void reconnectWritesGapRecord() throws Exception {
        awaitConnected();
        assertThat(lines("feed-gaps.jsonl")).isEmpty();
        simulator.dropConnections();
        awaitConnectedAfter(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("feed-gaps.jsonl").size() == 1);
        JsonNode gap = records("feed-gaps.jsonl").get(0);
        assertThat(gap.path("event").asText()).isEqualTo("feed_gap");
        assertThat(gap.path("cause").asText()).isEqualTo("connection lost without a close frame");
        OffsetDateTime start = OffsetDateTime.parse(gap.path("start").asText());
        OffsetDateTime end = OffsetDateTime.parse(gap.path("end").asText());
        assertThat(end).isAfter(start);
        assertThat(gap.path("durationMillis").asLong()).isEqualTo(Duration.between(start, end).toMillis());
    }
}
