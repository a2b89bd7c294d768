package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every close code leads to a reconnect; policy and authentication codes fetch a new token first. */
class CloseCodeTest extends BridgeTestSupport {

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @ParameterizedTest(name = "close code {0}")
    @CsvSource({
        "1000, false", "1001, false", "1008, true", "1011, false", "4000, false", "4001, true", "4002, true",
        "4003, true", "4500, false", "4999, false",
    })
    void closeCodeLeadsToReconnect(short code, boolean newToken) throws Exception {
        awaitConnected();
        simulator.closeConnections(code, "test close");

        awaitConnectedAfter(2);
        assertThat(simulator.tokenRequests()).isEqualTo(newToken ? 2 : 1);
        assertThat(simulator.maxOpenSockets()).isEqualTo(1);
        String closeLine = "Feed connection lost: closed by server with code " + code + " (test close)";
        assertThat(logs.lines()).anyMatch(line -> line.contains(closeLine));
        // The server registers the socket a moment before the bridge logs the connection.
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(logs.lines())
                .anyMatch(line -> line.contains("Connected to feed ") && line.contains(" ms down")));
    }
}
