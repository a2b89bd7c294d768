package br.com.lepapon.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void delaysDoubleUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60));
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seconds.add(backoff.nextDelay().toSeconds());
        }
        assertThat(seconds).containsExactly(5L, 10L, 20L, 40L, 60L, 60L, 60L);
    }

    @Test
    void resetStartsAgainFromTheFirstDelay() {
        Backoff backoff = new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(60));
        backoff.nextDelay();
        backoff.nextDelay();
        backoff.reset();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(5));
    }
}
