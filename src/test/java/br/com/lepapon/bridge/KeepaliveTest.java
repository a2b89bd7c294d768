package br.com.lepapon.bridge;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** A server that stops replying to pings while the TCP connection stays open is detected and left. */
class KeepaliveTest extends BridgeTestSupport {

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.ping-interval", "0.2");
        properties.put("lepapon.feed.ping-timeout", "0.6");
        return properties;
    }

    @Test
    void silentServerIsDetectedAndReplaced() throws Exception {
        awaitConnected();
        // Pongs keep the connection alive well past the ping timeout.
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                .until(() -> simulator.upgradeRequests() == 1);

        simulator.stopAnsweringPings();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.upgradeRequests() >= 2);

        simulator.answerPings();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 1);
        simulator.send(Fixtures.frame("new_message.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
    }
}
