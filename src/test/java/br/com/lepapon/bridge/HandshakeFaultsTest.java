package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Slow, silent and failing handshakes and token endpoints: one attempt at a time, and the bridge keeps trying. */
class HandshakeFaultsTest extends BridgeTestSupport {

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.feed.connect-timeout", "1");
        return properties;
    }

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        simulator.delayUpgrades(700);
    }

    @Test
    void slowHandshakeLeavesOneAttemptInFlight() throws Exception {
        awaitConnected();
        simulator.send(Fixtures.frame("new_message.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
        assertThat(simulator.upgradeRequests()).isEqualTo(1);
        assertThat(simulator.maxHandshakesInFlight()).isEqualTo(1);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
    }

    @Test
    void unansweredHandshakeTimesOutAndIsRetried() throws Exception {
        awaitConnected();
        simulator.delayUpgrades(3_000);
        simulator.dropConnections();

        await().atMost(Duration.ofSeconds(15)).until(() -> simulator.upgradeRequests() >= 3);
        assertThat(simulator.openSockets()).isZero();

        simulator.delayUpgrades(0);
        await().atMost(Duration.ofSeconds(15)).until(() -> simulator.openSockets() == 1);
        simulator.send(Fixtures.frame("new_message.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
    }

    @Test
    void failingTokenEndpointDoesNotEndTheLoop() throws Exception {
        awaitConnected();
        simulator.delayUpgrades(0);
        simulator.failTokenEndpoint(503, "");
        simulator.rotateToken();
        simulator.dropConnections();

        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.tokenRequests() >= 3);
        simulator.failTokenEndpoint(200, "{\"token\": 42");
        int requests = simulator.tokenRequests();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.tokenRequests() >= requests + 2);
        assertThat(simulator.openSockets()).isZero();

        simulator.failTokenEndpoint(200, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> simulator.openSockets() == 1);
        assertThat(simulator.tokensSeen()).last().isEqualTo(simulator.currentToken());
    }
}
