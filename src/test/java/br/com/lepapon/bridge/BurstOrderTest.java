package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A burst of numbered frames lands in the daily file complete, in order and without duplicates. */
class BurstOrderTest extends BridgeTestSupport {

    private static final int FRAMES = 20_000;

    @Test
    void burstIsWrittenInOrder() throws Exception {
        awaitConnected();
        for (int i = 0; i < FRAMES; i++) {
            simulator.send("{\"event\":\"burst\",\"data\":{\"novo\":{\"n\":" + i + "}}}");
        }

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> lines("burst.jsonl").size() >= FRAMES);
        List<Integer> numbers = records("burst.jsonl").stream()
                .map(line -> line.path("message").path("data").path("novo").path("n").asInt())
                .toList();
        assertThat(numbers).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(numbers.get(i)).as("line %d", i).isEqualTo(i);
        }
    }
}
