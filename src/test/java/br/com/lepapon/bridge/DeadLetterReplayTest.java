package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.replay.ReplayCommands;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import br.com.lepapon.bridge.sinks.WebhookDeadLetter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay-dead-letters against a real webhook receiver on 127.0.0.1: what the receiver gets (ids, order, bodies,
 * signatures checked here with the secret), what is retried, and what lands in the undelivered file.
 */
class DeadLetterReplayTest {

    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
    /** An invented key for this test only. */
    private static final byte[] KEY = "replay-test-key-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(KEY);
    private static final List<String> IDS = List.of(
            "msg_0000000000000000000000000000a001", "msg_0000000000000000000000000000a002",
            "msg_0000000000000000000000000000a003");

    @TempDir
    Path folder;
    private WebhookReceiver receiver;
    private LogCapture logs;
    private Path input;
    private byte[] inputBefore;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new WebhookReceiver().start(0);
        logs = new LogCapture().start();
    }

    @AfterEach
    void stopReceiver() throws Exception {
        logs.stop();
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void failedThenAcceptedKeepsIdsAndOrder() throws Exception {
        List<ObjectNode> deliveries = deliveries();
        writeInput(lettersFor(deliveries));
        receiver.answerNext(503, Map.of());
        receiver.answerNext(500, Map.of());

        int exitCode = replay(receiver.url(), 4);

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        List<ReceivedRequest> requests = receiver.requests();
        assertThat(requests).extracting(ReceivedRequest::answeredStatus).containsExactly(503, 500, 200, 200, 200);
        assertThat(requests).extracting(request -> request.headers().get("webhook-id"))
                .containsExactly(IDS.get(0), IDS.get(0), IDS.get(0), IDS.get(1), IDS.get(2));
        long now = Instant.now().getEpochSecond();
        for (ReceivedRequest request : requests) {
            String id = request.headers().get("webhook-id");
            String timestamp = request.headers().get("webhook-timestamp");
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.headers().get("content-type")).startsWith("application/json");
            assertThat(Long.parseLong(timestamp)).isBetween(now - 60, now + 1);
            assertThat(request.body()).isEqualTo(EventJson.compact(deliveries.get(IDS.indexOf(id))));
            assertThat(request.headers().get("webhook-signature")).isEqualTo(sign(id, timestamp, request.body()));
        }
        assertInputUnchanged();
        assertThat(undeliveredFiles()).isEmpty();
        assertThat(logs.lines()).noneMatch(line -> line.contains(SECRET));
        assertThat(logs.lines()).anyMatch(line -> line.contains("Replay finished: 3 delivered, 0 failed, 0 invalid"));
    }

    @Test
    void failuresAndInvalidLinesGoToUndeliveredFile() throws Exception {
        List<ObjectNode> deliveries = deliveries();
        List<String> letters = lettersFor(deliveries);
        String notJson = "this is not a dead letter";
        String noDelivery = "{\"webhookId\":\"msg_nodelivery\",\"attempts\":1}";
        String torn = letters.get(2).substring(0, 40);
        writeInput(List.of(letters.get(0), notJson, letters.get(1), noDelivery, letters.get(2)), torn);
        for (int i = 0; i < 3; i++) {
            receiver.answerNext(503, Map.of());
        }
        receiver.answerNext(400, Map.of());

        int exitCode = replay(receiver.url(), 3);

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        assertThat(receiver.requests()).extracting(request -> request.headers().get("webhook-id"))
                .containsExactly(IDS.get(0), IDS.get(0), IDS.get(0), IDS.get(1), IDS.get(2));
        assertInputUnchanged();
        List<Path> undelivered = undeliveredFiles();
        assertThat(undelivered).hasSize(1);
        assertThat(undelivered.get(0).getFileName().toString()).matches("dead\\.undelivered-\\d{8}-\\d{6}\\.jsonl");
        List<String> lines = Files.readAllLines(undelivered.get(0), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(5);
        JsonNode exhausted = EventJson.read(lines.get(0));
        assertThat(exhausted.path("webhookId").asText()).isEqualTo(IDS.get(0));
        assertThat(exhausted.path("attempts").asInt()).isEqualTo(3);
        assertThat(exhausted.path("reason").asText()).isEqualTo("HTTP 503, retries exhausted");
        assertThat(exhausted.path("delivery")).isEqualTo(deliveries.get(0));
        assertThat(lines.get(1)).isEqualTo(notJson);
        JsonNode rejected = EventJson.read(lines.get(2));
        assertThat(rejected.path("webhookId").asText()).isEqualTo(IDS.get(1));
        assertThat(rejected.path("attempts").asInt()).isEqualTo(1);
        assertThat(rejected.path("reason").asText()).isEqualTo("HTTP 400, not retried");
        assertThat(lines.get(3)).isEqualTo(noDelivery);
        assertThat(lines.get(4)).isEqualTo(torn);
        assertThat(logs.lines()).anyMatch(line -> line.contains("line 2: invalid dead letter, not valid JSON"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("line 4: invalid dead letter, missing delivery"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("line 6: invalid dead letter")
                && line.contains("no newline"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("1 delivered, 2 failed, 3 invalid"));
    }

    @Test
    void undeliveredFileCanBeReplayed() throws Exception {
        writeInput(lettersFor(deliveries()).subList(0, 1));
        receiver.answerNext(400, Map.of());
        assertThat(replay(receiver.url(), 3)).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        Path undelivered = undeliveredFiles().get(0);

        int exitCode = ReplayCommands.run(settings(receiver.url(), 3), "replay-dead-letters", undelivered.toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        assertThat(receiver.requests()).extracting(request -> request.headers().get("webhook-id"))
                .containsExactly(IDS.get(0), IDS.get(0));
    }

    @Test
    void retryAfterAndEachRetriedStatus() throws Exception {
        writeInput(lettersFor(deliveries()).subList(0, 1));
        receiver.answerNext(429, Map.of("Retry-After", "1"));
        receiver.answerNext(425, Map.of());
        receiver.answerNext(408, Map.of());
        receiver.answerNext(502, Map.of());
        long start = System.nanoTime();

        int exitCode = replay(receiver.url(), 5);

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(receiver.requests()).extracting(ReceivedRequest::answeredStatus)
                .containsExactly(429, 425, 408, 502, 200);
    }

    @Test
    void refusedConnectionIsRetriedThenKept() throws Exception {
        writeInput(lettersFor(deliveries()).subList(0, 1));
        String closedPort = "http://127.0.0.1:" + BridgeTestSupport.freePort() + "/webhook";

        int exitCode = replay(closedPort, 2);

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        JsonNode kept = EventJson.read(Files.readAllLines(undeliveredFiles().get(0)).get(0));
        assertThat(kept.path("attempts").asInt()).isEqualTo(2);
        assertThat(kept.path("reason").asText()).startsWith("request failed").endsWith("retries exhausted");
    }

    @Test
    void missingFileIsUsageError() throws Exception {
        int exitCode = ReplayCommands.run(settings(receiver.url(), 3), "replay-dead-letters",
                folder.resolve("absent.jsonl").toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_USAGE);
        assertThat(logs.lines()).anyMatch(line -> line.contains("dead-letter file not found or not readable"));
    }

    @Test
    void unsetWebhookUrlIsUsageError() throws Exception {
        writeInput(lettersFor(deliveries()).subList(0, 1));

        int exitCode = replay("", 3);

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_USAGE);
        assertThat(logs.lines()).anyMatch(line -> line.contains("WEBHOOK_URL is not set"));
        assertThat(receiver.requests()).isEmpty();
    }

    private int replay(String webhookUrl, int maxAttempts) throws Exception {
        return ReplayCommands.run(settings(webhookUrl, maxAttempts), "replay-dead-letters", input.toString());
    }

    private Properties settings(String webhookUrl, int maxAttempts) {
        Properties properties = new Properties();
        // Loopback everywhere, although a dead-letter replay never contacts the platform.
        properties.put("lepapon.token.endpoint", "http://127.0.0.1:1/token");
        properties.put("lepapon.feed.connection-info-endpoint", "http://127.0.0.1:1/connection");
        properties.put("lepapon.feed.fallback-url", "ws://127.0.0.1:1");
        properties.put("lepapon.data-dir", folder.resolve("data").toString());
        properties.put("lepapon.timezone", ZONE.getId());
        properties.put("lepapon.webhook.url", webhookUrl);
        properties.put("lepapon.webhook.secret", SECRET);
        properties.put("lepapon.webhook.max-attempts", Integer.toString(maxAttempts));
        properties.put("lepapon.webhook.retry-delay", "0.05");
        properties.put("lepapon.webhook.retry-max-delay", "0.2");
        properties.put("lepapon.http.timeout", "5");
        return properties;
    }

    /** Returns three request bodies as the bridge builds them, with order ids 901, 902 and 903. */
    private static List<ObjectNode> deliveries() throws IOException {
        List<ObjectNode> deliveries = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ObjectNode message = (ObjectNode) EventJson.read(Fixtures.frame("new_order.json"));
            ObjectNode delivery = EventJson.object();
            delivery.put("event", "new_order");
            delivery.put("receivedAt", "2026-12-03T20:0" + i + ":00.000-03:00");
            delivery.put("orderId", 900 + i);
            delivery.put("total", new java.math.BigDecimal("22.50"));
            delivery.putArray("items");
            delivery.put("sessionId", "5511900000001");
            delivery.set("message", message);
            deliveries.add(delivery);
        }
        return deliveries;
    }

    private static List<String> lettersFor(List<ObjectNode> deliveries) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            OffsetDateTime failedAt = OffsetDateTime.parse("2026-12-03T21:00:00-03:00").plusSeconds(i);
            WebhookDeadLetter letter = new WebhookDeadLetter(failedAt, IDS.get(i), 6, "HTTP 503, retries exhausted",
                    deliveries.get(i));
            lines.add(EventJson.compact(letter.toJson()));
        }
        return lines;
    }

    private void writeInput(List<String> lines) throws IOException {
        writeInput(lines, "");
    }

    /** Writes the dead-letter file, each line with its newline, then {@code tail} without one. */
    private void writeInput(List<String> lines, String tail) throws IOException {
        input = folder.resolve("dead.jsonl");
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        text.append(tail);
        inputBefore = text.toString().getBytes(StandardCharsets.UTF_8);
        Files.write(input, inputBefore);
    }

    private void assertInputUnchanged() throws IOException {
        assertThat(Files.readAllBytes(input)).isEqualTo(inputBefore);
    }

    private List<Path> undeliveredFiles() throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().contains(".undelivered-")).sorted().toList();
        }
    }

    /** Computes the Standard Webhooks signature here, independently of the bridge's WebhookSignature. */
    private static String sign(String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(digest);
    }
}
