package br.com.lepapon.bridge;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** A connection with no events stays open well past the connect timeout and the ping timeout, as pongs come back. */
class QuietFeedTest extends BridgeTestSupport {

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.connect-timeout", "0.5");
        // A ping timeout shorter than the interval is valid: it counts from each ping.
        properties.put("lepapon.feed.ping-interval", "1");
        properties.put("lepapon.feed.ping-timeout", "0.8");
        return properties;
    }

    @Test
    void quietConnectionStaysOpen() {
        awaitConnected();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> simulator.upgradeRequests() == 1 && simulator.openSockets() == 1);
    }
}
