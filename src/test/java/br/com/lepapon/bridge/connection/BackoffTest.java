package br.com.lepapon.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    private static List<Long> millis(Backoff backoff, int count) {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            delays.add(backoff.nextDelay().toMillis());
        }
        return delays;
    }

    @Test
    void delaysDoubleUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60), () -> 0.0);
        assertThat(millis(backoff, 7)).containsExactly(5_000L, 10_000L, 20_000L, 40_000L, 60_000L, 60_000L, 60_000L);
    }

    @Test
    void jitterShortensDelaysByAtMostAFifth() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60), () -> 0.999_999);
        assertThat(millis(backoff, 5)).containsExactly(4_000L, 8_000L, 16_000L, 32_000L, 48_000L);
    }

    @Test
    void randomDelaysStillGrowUntilTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(60));
        List<Long> delays = millis(backoff, 9);
        for (int i = 1; i < delays.size(); i++) {
            assertThat(delays.get(i)).as("delay %d after %d", i, i - 1).isGreaterThan(delays.get(i - 1));
        }
    }

    @Test
    void resetStartsAgainFromTheFirstDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60), () -> 0.0);
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.reset();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(5));
    }
}
