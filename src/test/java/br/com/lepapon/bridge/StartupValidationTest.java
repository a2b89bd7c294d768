package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class StartupValidationTest {

    // Loopback endpoints, so that the bridge reaches nothing else should the check ever let it start.
    private static final Map<String, String> LOOPBACK = Map.of(
            "lepapon.token.endpoint", "http://127.0.0.1:1/token",
            "lepapon.feed.connection-info-endpoint", "http://127.0.0.1:1/connection",
            "lepapon.feed.fallback-url", "ws://127.0.0.1:1",
            "lepapon.timezone", "Mars/Olympus");

    @Test
    void invalidTimezoneStopsStartupWithExitCode2() throws Exception {
        LOOPBACK.forEach(System::setProperty);
        try {
            assertThat(BridgeApplication.run()).isEqualTo(2);
        } finally {
            LOOPBACK.keySet().forEach(System::clearProperty);
        }
    }

    @Test
    void unknownCommandExitsWithCode2() throws Exception {
        assertThat(BridgeApplication.run("replay-dead-letter", "dead.jsonl")).isEqualTo(2);
        assertThat(BridgeApplication.run("--data-dir", "/tmp/x")).isEqualTo(2);
    }
}
