package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The token endpoint returns 503, then garbage, at startup: the bridge keeps trying and connects once it is fixed. */
class TokenOutageAtStartupTest extends BridgeTestSupport {

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        simulator.failTokenEndpoint(503, "Service Unavailable");
    }

    @Test
    void bridgeConnectsOnceTokenEndpointRecovers() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.tokenRequests() >= 2);
        simulator.failTokenEndpoint(200, "<html>not json</html>");
        int requests = simulator.tokenRequests();
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.tokenRequests() >= requests + 2);
        assertThat(simulator.upgradeRequests()).isZero();
        assertThat(context.isStarted()).isTrue();

        simulator.failTokenEndpoint(200, null);
        awaitConnected();
        simulator.send(Fixtures.frame("new_order.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_order.jsonl").size() == 1);
    }
}
