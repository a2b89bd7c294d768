package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import org.junit.jupiter.api.Test;

/**
 * The management port's health endpoints follow the feed: not ready while connecting, ready once connected, still
 * ready during a short outage, not ready once the outage lasts longer than the grace period. Liveness stays up.
 */
class HealthEndpointTest extends BridgeTestSupport {

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
        properties.put("lepapon.feed.readiness-grace", "1");
        properties.put("lepapon.feed.reconnect-delay", "0.3");
        properties.put("lepapon.feed.reconnect-max-delay", "0.3");
        return properties;
    }

    @Test
    void readinessFollowsTheFeed() throws Exception {
        HttpResponse<String> connecting = getManagement("/observe/health/ready");
        assertThat(connecting.statusCode()).isEqualTo(503);
        assertThat(connecting.body()).contains("feed");
        assertThat(getManagement("/observe/health/live").statusCode()).isEqualTo(200);

        simulator.start(apiPort, feedPort);
        awaitConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> getManagement("/observe/health/ready").statusCode() == 200);

        simulator.rejectUpgrades(503);
        simulator.dropConnections();
        await().atMost(Duration.ofSeconds(5)).until(() -> simulator.upgradeRequests() >= 2);
        assertThat(getManagement("/observe/health/ready").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> getManagement("/observe/health/ready").statusCode() == 503);
        HttpResponse<String> down = getManagement("/observe/health/ready?exposureLevel=full");
        assertThat(down.body()).contains("backing off until").contains("handshake rejected with HTTP 503");
        assertThat(getManagement("/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void stoppedFeedRouteIsNotReady() throws Exception {
        simulator.start(apiPort, feedPort);
        awaitConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> getManagement("/observe/health/ready").statusCode() == 200);

        context.getRouteController().stopRoute("feed-source");

        await().atMost(Duration.ofSeconds(5)).until(() -> getManagement("/observe/health/ready").statusCode() == 503);
        assertThat(getManagement("/observe/health/ready?exposureLevel=full").body()).contains("feed route stopped");
    }

}
