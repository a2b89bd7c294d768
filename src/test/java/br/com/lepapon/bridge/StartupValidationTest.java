package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StartupValidationTest {

    @Test
    void invalidTimezoneStopsStartupWithExitCode2() throws Exception {
        System.setProperty("lepapon.timezone", "Mars/Olympus");
        try {
            assertThat(BridgeApplication.run()).isEqualTo(2);
        } finally {
            System.clearProperty("lepapon.timezone");
        }
    }
}
