package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Runs the bridge in its own JVM with a 64 MiB heap while the webhook responds with 503, and sends it 48 orders just
 * under the default message size limit (1/64 of the heap), about 46 MB in all. The bodies past 1/16 of the heap wait
 * only in the outbox. The bridge is then stopped and started again with the same heap, and reads every body back from
 * the journal, so every order arrives whole, in order within its session, once the webhook works again.
 */
class SmallHeapOutboxTest extends BridgeJvmTestSupport {

    private static final List<String> SESSIONS = List.of("5511900000001", "5511900000002", "5511900000003");
    private static final int ORDERS_PER_SESSION = 16;
    /** The frame around the note adds about 300 bytes; the limit with this heap is about 1,010,000 bytes. */
    private static final int NOTE_CHARS = 950_000;

    @Test
    void largeOrdersWaitOnDisk() throws Exception {
        receiver.answerAll(503);
        bridge = startBridge("bridge.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> simulator.openSockets() == 1);
        int total = SESSIONS.size() * ORDERS_PER_SESSION;
        for (int i = 1; i <= ORDERS_PER_SESSION; i++) {
            for (int s = 0; s < SESSIONS.size(); s++) {
                int orderId = (s + 1) * 100 + i;
                simulator.send(Fixtures.order(SESSIONS.get(s), orderId).replace("\"Sem cebola\"",
                        "\"" + note(orderId) + "\""));
            }
        }
        Path daily = work.resolve("data").resolve(LocalDate.now().toString()).resolve("new_order.jsonl");
        // A bridge that runs out of heap ends (-XX:+ExitOnOutOfMemoryError), which ends the waits early.
        await().atMost(Duration.ofSeconds(120))
                .until(() -> !bridge.isAlive() || Files.exists(daily) && lineCount(daily) == total);
        String firstLog = Files.readString(work.resolve("bridge.log"));
        assertThat(bridge.isAlive()).as("first bridge still running; its log:%n%s", tail(firstLog)).isTrue();
        assertThat(firstLog).contains("the next ones wait in the outbox on disk");

        // A stop and a start in the same heap: the second bridge reads every body back from the journal.
        bridge.destroy();
        assertThat(bridge.waitFor(20, TimeUnit.SECONDS)).isTrue();
        bridge = startBridge("bridge-2.log");
        receiver.answerAll(200);
        await().atMost(Duration.ofSeconds(120)).until(() -> !bridge.isAlive() || delivered().size() >= total);
        Thread.sleep(300);

        List<ReceivedRequest> delivered = delivered();
        String log = Files.readString(work.resolve("bridge-2.log"));
        System.out.printf("Small-heap outbox test: %d orders of about %d KB each delivered by a bridge restarted with "
                + "-Xmx64m; bridge alive: %s%n", delivered.size(), NOTE_CHARS / 1000, bridge.isAlive());
        assertThat(bridge.isAlive()).as("second bridge still running; its log:%n%s", tail(log)).isTrue();
        assertThat(log).contains("Outbox holds " + total + " orders not yet delivered");
        assertThat(delivered).extracting(BridgeJvmTestSupport::orderId).doesNotHaveDuplicates().hasSize(total);
        for (ReceivedRequest request : delivered) {
            JsonNode body = BridgeJvmTestSupport.body(request);
            int orderId = body.path("orderId").asInt();
            assertThat(body.path("items").path(0).path("Obs").asText()).as("note of order %d", orderId)
                    .isEqualTo(note(orderId));
        }
        for (int s = 0; s < SESSIONS.size(); s++) {
            String session = SESSIONS.get(s);
            int first = (s + 1) * 100 + 1;
            assertThat(delivered).filteredOn(request -> session.equals(BridgeJvmTestSupport.sessionId(request)))
                    .extracting(BridgeJvmTestSupport::orderId)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(first, first + ORDERS_PER_SESSION)
                            .mapToObj(Integer::toString).toList());
        }
        try (var files = Files.walk(work.resolve("data"))) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("webhook-dead-letters.jsonl");
        }
    }

    private static String note(int orderId) {
        String prefix = "order " + orderId + " ";
        return prefix + Character.toString('a' + orderId % 26).repeat(NOTE_CHARS - prefix.length());
    }

    private Process startBridge(String logName) throws IOException {
        return startBridge(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), logName, Map.of(
                "WS_RECONNECT_DELAY", "0.1",
                "WEBHOOK_RETRY_DELAY", "0.2",
                "WEBHOOK_RETRY_MAX_DELAY", "0.5"));
    }

    private static long lineCount(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }

}
