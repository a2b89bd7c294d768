package br.com.lepapon.bridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void secondsAreParsed() {
        assertThat(RetryAfter.parse("7", NOW)).contains(Duration.ofSeconds(7));
    }

    @Test
    void httpDateIsParsedRelativeToNow() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 12:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void pastDateMeansNoWait() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 11:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void invalidValuesAreIgnored() {
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
