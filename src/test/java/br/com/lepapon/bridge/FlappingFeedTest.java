package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * A server that accepts and closes at once, 20 times in a row: the delays between attempts keep growing up to the
 * maximum, and go back to the first delay only after a connection has held for WS_STABLE_AFTER.
 */
class FlappingFeedTest extends BridgeTestSupport {

    private static final long FIRST_DELAY_MILLIS = 50;
    private static final long MAX_DELAY_MILLIS = 400;

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.reconnect-delay", "0.05");
        properties.put("lepapon.feed.reconnect-max-delay", "0.4");
        properties.put("lepapon.feed.stable-after", "1");
        return properties;
    }

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        simulator.closeOnAccept(true);
    }

    @Test
    void delaysGrowUntilAConnectionHolds() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.upgradeRequests() >= 21);
        simulator.closeOnAccept(false);
        List<Long> times = simulator.upgradeTimesMillis();
        long expected = FIRST_DELAY_MILLIS;
        for (int i = 1; i <= 20; i++) {
            long gap = times.get(i) - times.get(i - 1);
            // Jitter shortens a delay by up to 20%; a slow machine only makes gaps longer.
            assertThat(gap).as("gap before attempt %d", i + 1).isGreaterThanOrEqualTo(expected * 8 / 10);
            expected = Math.min(expected * 2, MAX_DELAY_MILLIS);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 1);
        await().during(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(3))
                .until(() -> simulator.openSockets() == 1);
        int attempts = simulator.upgradeRequests();
        simulator.dropConnections();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.upgradeRequests() == attempts + 1);
        assertThat(lastLoggedDelayMillis()).isBetween(FIRST_DELAY_MILLIS * 8 / 10, FIRST_DELAY_MILLIS);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
    }

    /** Returns N from the last "Reconnecting to feed in N ms" line. */
    private long lastLoggedDelayMillis() {
        String prefix = "Reconnecting to feed in ";
        List<String> reconnects = logs.lines().stream().filter(line -> line.contains(prefix)).toList();
        String last = reconnects.get(reconnects.size() - 1);
        String afterPrefix = last.substring(last.indexOf(prefix) + prefix.length());
        return Long.parseLong(afterPrefix.substring(0, afterPrefix.indexOf(' ')));
    }
}
