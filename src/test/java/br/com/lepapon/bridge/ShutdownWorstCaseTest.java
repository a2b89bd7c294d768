package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * A stop with every wait at its limit loses no frame. The test has slow routes with a backlog, a frame in hand whose
 * route does not finish by itself, a server that ignores the close frame and webhook attempts in flight. The frames written to the daily
 * file and those saved to unprocessed-frames.jsonl are every frame sent, the stuck one included.
 */
class ShutdownWorstCaseTest extends BridgeTestSupport {

    private static final int FRAMES = 5_000;
    private static final int STUCK_AFTER = 500;
    private static final int ORDERS = 4;

    @Override
    protected void setupResources() throws Exception {
        // Each frame takes 1 ms. The stuck frame blocks on a full seda queue that nothing reads, until the
        // dispatcher interrupts its worker thread.
        Path source = copyRoutes("feed-source.yaml");
        String stuckStep = """
                        - choice:
                            when:
                              - simple: "${body} contains 'stuck'"
                                steps:
                                  - to: "seda:stuck?size=1&blockWhenFull=true"
                                  - to: "seda:stuck?size=1&blockWhenFull=true"
                        - delay:
                            constant: "1"
                        - to: direct:feed-frame
                """;
        String slow = Files.readString(source).replace("        - to: direct:feed-frame\n", stuckStep);
        assertThat(slow).contains("seda:stuck");
        Files.writeString(source, slow);
        super.setupResources();
    }

    @Override
    protected String routesIncludePattern() {
        return "file:" + routesDir + "/*.yaml";
    }

    @Test
    void stopAtEveryLimitLosesNoFrame() throws Exception {
        awaitConnected();
        receiver.delayResponses(30_000);
        for (int i = 0; i < ORDERS; i++) {
            simulator.send(Fixtures.order("55119000000" + (10 + i), i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == ORDERS);
        for (int i = 0; i < FRAMES; i++) {
            simulator.send("{\"event\":\"burst\",\"data\":{\"novo\":{\"n\":" + i + "}}}");
            if (i == STUCK_AFTER) {
                simulator.send("{\"event\":\"stuck\"}");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> lines("burst.jsonl").size() > STUCK_AFTER);
        simulator.stopAnsweringPings();

        context.stop();

        List<Integer> numbers = new ArrayList<>();
        records("burst.jsonl").forEach(line -> numbers.add(number(line.path("message"))));
        assertThat(numbers).hasSize(STUCK_AFTER + 1);
        List<JsonNode> saved = records("unprocessed-frames.jsonl").stream()
                .map(line -> parse(line.path("frame").asText()))
                .toList();
        assertThat(saved).isNotEmpty();
        assertThat(saved.get(0).path("event").asText()).isEqualTo("stuck");
        saved.stream().skip(1).forEach(frame -> numbers.add(number(frame)));
        assertThat(numbers).hasSize(FRAMES);
        for (int i = 0; i < FRAMES; i++) {
            assertThat(numbers.get(i)).as("frame %d", i).isEqualTo(i);
        }
        // The orders whose attempts were in flight stay in the outbox for the next start.
        List<String> outbox = Files.readAllLines(dataDir.resolve("outbox").resolve("webhook-outbox.jsonl"));
        assertThat(outbox).hasSize(ORDERS).allMatch(line -> line.contains("\"op\":\"add\""));
        assertThat(lines("webhook-dead-letters.jsonl")).isEmpty();
    }

    private static int number(JsonNode message) {
        return message.path("data").path("novo").path("n").asInt();
    }
}
