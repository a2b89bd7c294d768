package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Frames up to WS_MAX_FRAME_BYTES arrive whole; a larger one is logged with the limit and the bridge reconnects. */
class FrameSizeTest extends BridgeTestSupport {

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.max-frame-bytes", "65536");
        return properties;
    }

    private static String frameOfSize(int size) {
        String start = "{\"event\":\"big\",\"data\":{\"novo\":{\"text\":\"";
        String end = "\"}}}";
        return start + "x".repeat(size - start.length() - end.length()) + end;
    }

    @Test
    void frameAtTheLimitArrivesWhole() throws Exception {
        awaitConnected();
        simulator.send(frameOfSize(65_536));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("big.jsonl").size() == 1);
        assertThat(records("big.jsonl").get(0).path("message")).isEqualTo(parse(frameOfSize(65_536)));
        assertThat(simulator.upgradeRequests()).isEqualTo(1);
    }

    @Test
    void fragmentedMessageArrivesWhole() throws Exception {
        awaitConnected();
        simulator.sendFragmented(frameOfSize(60_000), 7);

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("big.jsonl").size() == 1);
        assertThat(records("big.jsonl").get(0).path("message")).isEqualTo(parse(frameOfSize(60_000)));
        assertThat(simulator.upgradeRequests()).isEqualTo(1);
    }

    @Test
    void fragmentedMessageOverTheLimitReconnects() throws Exception {
        awaitConnected();
        simulator.sendFragmented(frameOfSize(100_000), 4);

        awaitConnectedAfter(2);
        assertThat(logs.lines())
                .filteredOn(line -> line.contains("Feed connection lost: a fragmented message larger than"))
                .hasSize(1);
    }

    @Test
    void frameOverTheLimitIsLoggedAndReconnects() throws Exception {
        awaitConnected();
        simulator.send(frameOfSize(65_537));

        awaitConnectedAfter(2);
        assertThat(logs.lines())
                .filteredOn(line -> line.contains("Feed connection lost: a frame larger than WS_MAX_FRAME_BYTES"))
                .hasSize(1);
        simulator.send(frameOfSize(100));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("big.jsonl").size() == 1);
    }
}
