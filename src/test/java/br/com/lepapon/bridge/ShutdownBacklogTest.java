package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/**
 * Stopping while the routes are behind loses no frame. Frames waiting in the socket are still read, and those the
 * routes do not reach within the drain time are saved to unprocessed-frames.jsonl. Together with the daily file they
 * are every frame sent, in order.
 */
class ShutdownBacklogTest extends BridgeTestSupport {

    private static final int FRAMES = 15_000;
    @Override
    protected void setupResources() throws Exception {
        Path source = copyRoutes("feed-source.yaml");
        String slow = Files.readString(source).replace("        - to: direct:feed-frame\n",
                "        - delay:\n            constant: \"1\"\n        - to: direct:feed-frame\n");
        assertThat(slow).contains("delay");
        Files.writeString(source, slow);
        super.setupResources();
    }

    @Override
    protected String routesIncludePattern() {
        return "file:" + routesDir + "/*.yaml";
    }

    @Test
    void backlogIsWrittenOrSavedAtStop() throws Exception {
        awaitConnected();
        for (int i = 0; i < FRAMES; i++) {
            simulator.send("{\"event\":\"burst\",\"data\":{\"novo\":{\"n\":" + i + "}}}");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("burst.jsonl").size() >= 100);

        context.stop();

        java.util.List<Integer> numbers = new java.util.ArrayList<>();
        records("burst.jsonl").forEach(line -> numbers.add(
                line.path("message").path("data").path("novo").path("n").asInt()));
        int written = numbers.size();
        records("unprocessed-frames.jsonl").forEach(line -> numbers.add(
                parse(line.path("frame").asText()).path("data").path("novo").path("n").asInt()));
        assertThat(written).isLessThan(FRAMES);
        assertThat(numbers).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(numbers.get(i)).as("frame %d", i).isEqualTo(i);
        }
    }

}
