package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import br.com.lepapon.bridge.sinks.WebhookSignature;
import org.junit.jupiter.api.Test;

/**
 * Runs the bridge as a separate process and kills it with SIGKILL during a webhook outage. The test then tears the
 * outbox's last line, as a crash in the middle of a write would, and restarts the bridge with the webhook back.
 * Every order accepted before the kill arrives once, with the webhook-id of its earlier attempts, in order within
 * its session.
 */
class OutboxCrashTest extends BridgeJvmTestSupport {

    private static final String SECRET = "crash-test-webhook-secret";
    private static final List<String> SESSIONS = List.of("5511900000001", "5511900000002");
    private static final int ORDERS_PER_SESSION = 5;

    @Test
    void ordersSurviveKillDuringOutage() throws Exception {
        receiver.answerAll(503);
        bridge = startBridge("first-run.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> simulator.openSockets() == 1);
        for (int i = 1; i <= ORDERS_PER_SESSION; i++) {
            for (int s = 0; s < SESSIONS.size(); s++) {
                simulator.send(Fixtures.order(SESSIONS.get(s), (s + 1) * 100 + i));
            }
        }
        int accepted = SESSIONS.size() * ORDERS_PER_SESSION;
        // A second bridge on the same data folder would post the same orders under other ids: it must not start.
        Process second = startBridge("second-bridge.log");
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(Files.readString(work.resolve("second-bridge.log"))).contains("in use by another running bridge");
        await().atMost(Duration.ofSeconds(20)).until(() -> journalLines().size() == accepted
                && receiver.requests().stream().map(BridgeJvmTestSupport::sessionId).distinct().count() == 2);

        bridge.destroyForcibly();
        assertThat(bridge.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int exitCode = bridge.exitValue();
        int requestsBeforeKill = receiver.requests().size();
        String torn = "{\"op\":\"add\",\"webhookId\":\"msg_torn\",\"acceptedAt\":\"2026-12-04T18:00:00Z\",\"bo";
        Files.writeString(journal(), torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        receiver.answerAll(200);
        int upgradesBeforeRestart = simulator.upgradeRequests();
        bridge = startBridge("second-run.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> delivered().size() == accepted);
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.upgradeRequests() > upgradesBeforeRestart
                && simulator.openSockets() == 1);
        // The platform sends an order again after the restart, and a new one.
        simulator.send(Fixtures.order(SESSIONS.get(0), 101));
        simulator.send(Fixtures.order(SESSIONS.get(0), 106));
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered().size() == accepted + 1);
        Thread.sleep(500);

        List<ReceivedRequest> delivered = delivered();
        Map<String, Set<String>> idsByOrder = receiver.requests().stream().collect(Collectors.groupingBy(
                BridgeJvmTestSupport::orderId, LinkedHashMap::new,
                Collectors.mapping(request -> request.headers().get("webhook-id"), Collectors.toSet())));
        System.out.printf("Crash test: bridge killed with exit code %d after %d orders were accepted and %d attempts "
                + "failed with 503; after the restart the receiver got %d deliveries (%d distinct orders, %d "
                + "distinct webhook-ids), the repeated order 101 was not posted again%n", exitCode, accepted,
                requestsBeforeKill, delivered.size(),
                delivered.stream().map(BridgeJvmTestSupport::orderId).distinct().count(),
                delivered.stream().map(request -> request.headers().get("webhook-id")).distinct().count());

        assertThat(exitCode).isEqualTo(137);
        assertThat(delivered).extracting(BridgeJvmTestSupport::orderId).doesNotHaveDuplicates().hasSize(accepted + 1);
        assertThat(idsByOrder.values()).allMatch(ids -> ids.size() == 1);
        assertThat(idsByOrder.values().stream().flatMap(Set::stream).distinct().count()).isEqualTo(accepted + 1);
        assertThat(delivered).filteredOn(request -> BridgeJvmTestSupport.sessionId(request).equals(SESSIONS.get(0)))
                .extracting(BridgeJvmTestSupport::orderId).containsExactly("101", "102", "103", "104", "105", "106");
        assertThat(delivered).filteredOn(request -> BridgeJvmTestSupport.sessionId(request).equals(SESSIONS.get(1)))
                .extracting(BridgeJvmTestSupport::orderId).containsExactly("201", "202", "203", "204", "205");
        WebhookSignature signature = new WebhookSignature(SECRET);
        for (ReceivedRequest request : receiver.requests()) {
            String id = request.headers().get("webhook-id");
            long timestamp = Long.parseLong(request.headers().get("webhook-timestamp"));
            assertThat(request.headers().get("webhook-signature"))
                    .isEqualTo(signature.sign(id, timestamp, request.body().getBytes(StandardCharsets.UTF_8)));
        }
        String secondLog = Files.readString(work.resolve("second-run.log"));
        assertThat(secondLog).contains("line " + (accepted + 1) + " is incomplete");
        assertThat(Files.readString(work.resolve("data/outbox/damaged-lines.jsonl"))).contains("msg_torn");
        assertThat(secondLog).contains("Order 101 of session 5511*****0001 was accepted before");
    }

    private Process startBridge(String logName) throws IOException {
        return startBridge(List.of(), logName, Map.of(
                "WEBHOOK_SECRET", SECRET,
                "WS_RECONNECT_DELAY", "0.1",
                "WS_RECONNECT_MAX_DELAY", "0.5",
                "WEBHOOK_RETRY_DELAY", "0.1",
                "WEBHOOK_RETRY_MAX_DELAY", "0.3"));
    }

    private Path journal() {
        return work.resolve("data/outbox/webhook-outbox.jsonl");
    }

    private List<String> journalLines() throws IOException {
        return Files.exists(journal()) ? Files.readAllLines(journal()) : new ArrayList<>();
    }

}
