package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * A whole run logged at DEBUG (connect, a dropped connection, a rejected token, invalid frames, webhook retries)
 * never shows the token, raw or URL-encoded, in a log line or a file.
 */
class TokenSecrecyTest extends BridgeTestSupport {

    // Invented; the characters make the URL-encoded form differ from the raw one.
    private static final String TOKEN = "t0k3n+with/special=chars&more-1234567890";
    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        simulator.useToken(TOKEN);
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.webhook.max-attempts", "2");
        return properties;
    }

    @Test
    void tokenFromEndpointNeverLeaks() throws Exception {
        awaitConnected();
        exerciseFailures();
        simulator.rotateToken();
        String rotated = simulator.currentToken();
        simulator.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.tokensSeen().contains(rotated)
                && simulator.openSockets() == 1);

        context.stop();
        assertNoLeak(TOKEN);
        assertNoLeak(rotated);
        assertThat(logs.lines()).anyMatch(line -> line.contains("Connected to feed ") && line.contains("t0k3...7890"));
    }

    private void exerciseFailures() {
        receiver.answerNext(500, java.util.Map.of());
        receiver.answerNext(500, java.util.Map.of());
        simulator.send(Fixtures.frame("new_order.json"));
        simulator.send("not json " + "x".repeat(50));
        simulator.send(Fixtures.frame("session_update.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("webhook-dead-letters.jsonl").size() == 1);
    }

    private void assertNoLeak(String token) throws Exception {
        String encoded = URLEncoder.encode(token, StandardCharsets.UTF_8);
        List<String> lines = logs.lines();
        assertThat(lines).hasSizeGreaterThan(100);
        assertThat(lines).noneMatch(line -> line.contains(token));
        assertThat(lines).noneMatch(line -> line.contains(encoded));
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String content = Files.readString(file);
                assertThat(content).as(file.toString()).doesNotContain(token).doesNotContain(encoded);
            }
        }
    }
}
