package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import org.junit.jupiter.api.Test;

/** The platform is down when the bridge starts: the bridge keeps running and connects once it is back. */
class FeedOutageTest extends BridgeTestSupport {

    private int apiPort;
    private int feedPort;

    @Override
    protected boolean startSimulator() {
        return false;
    }

    @Override
    protected PlatformSimulator createSimulator() {
        apiPort = freePort();
        feedPort = freePort();
        return new PlatformSimulator();
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.token.endpoint", "http://127.0.0.1:" + apiPort + "/api/websocket/token");
        properties.put("lepapon.feed.url", "ws://127.0.0.1:" + feedPort);
        return properties;
    }

    @Test
    void bridgeConnectsWhenPlatformComesBack() throws Exception {
        Thread.sleep(1_000);
        assertThat(context.isStarted()).isTrue();

        simulator.start(apiPort, feedPort);
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 1);
        simulator.send(Fixtures.frame("new_order.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_order.jsonl").size() == 1);
    }

    @Test
    void rejectedUpgradesAreRetried() throws Exception {
        simulator.rejectUpgrades(503);
        simulator.start(apiPort, feedPort);
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.upgradeRequests() >= 3);
        assertThat(simulator.openSockets()).isZero();

        simulator.rejectUpgrades(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 1);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
    }

}
