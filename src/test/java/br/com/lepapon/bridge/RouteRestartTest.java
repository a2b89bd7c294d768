package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Stopping the feed route through Camel's route controller closes the connection; starting it connects again. */
class RouteRestartTest extends BridgeTestSupport {

    @Test
    void eventsFlowAfterRouteRestart() throws Exception {
        awaitConnected();
        context.getRouteController().stopRoute("feed-source");
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 0);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> simulator.upgradeRequests() == 1);

        context.getRouteController().startRoute("feed-source");
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.openSockets() == 1);
        simulator.send(Fixtures.frame("new_message.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == 1);
        assertThat(simulator.upgradeRequests()).isEqualTo(2);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
    }
}
