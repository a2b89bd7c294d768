package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import org.junit.jupiter.api.Test;

/** A token whose expiresIn has passed is fetched again before the next connection attempt. */
class TokenExpiryTest extends BridgeTestSupport {

    @Override
    protected PlatformSimulator createSimulator() {
        return new PlatformSimulator("127.0.0.1", 1L);
    }

    @Test
    void expiredTokenIsFetchedAgain() throws Exception {
        awaitConnected();
        assertThat(simulator.tokenRequests()).isEqualTo(1);

        await().pollDelay(Duration.ofMillis(1_200)).atMost(Duration.ofSeconds(3)).until(() -> true);
        simulator.dropConnections();

        awaitConnectedAfter(2);
        assertThat(simulator.tokenRequests()).isEqualTo(2);
    }
}
