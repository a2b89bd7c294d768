package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * After an outage long enough for the delays to grow, a rejection of the old token is followed by a new token and an
 * attempt after the first delay, not after the grown one.
 */
class StaleTokenTest extends BridgeTestSupport {

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.reconnect-delay", "0.2");
        properties.put("lepapon.feed.reconnect-max-delay", "5");
        return properties;
    }

    @Test
    void staleTokenRetriesAfterFirstDelay() throws Exception {
        awaitConnected();
        simulator.rejectUpgrades(503);
        simulator.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.upgradeRequests() >= 4);
        simulator.rotateToken();
        simulator.rejectUpgrades(0);

        await().atMost(Duration.ofSeconds(15)).until(() -> simulator.openSockets() == 1);
        String rejection = logs.lines().stream()
                .filter(line -> line.contains("handshake rejected with HTTP 401"))
                .findFirst().orElseThrow();
        assertThat(delayMillis(rejection)).isLessThanOrEqualTo(200);
        List<String> tokens = simulator.tokensSeen();
        assertThat(tokens.get(tokens.size() - 1)).isEqualTo(simulator.currentToken());
    }

    /** Returns N from a "Reconnecting to feed in N ms" line. */
    private static long delayMillis(String line) {
        String prefix = "Reconnecting to feed in ";
        String rest = line.substring(line.indexOf(prefix) + prefix.length());
        return Long.parseLong(rest.substring(0, rest.indexOf(' ')));
    }
}
