package br.com.lepapon.bridge.alarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SilenceRuleTest {

    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    @Test
    void parseAllReadsSeveralRules() {
        List<SilenceRule> rules = SilenceRule.parseAll("new_order,120,18:00-23:00; new_message,0.5,00:00-00:00");
        assertThat(rules).hasSize(2);
        assertThat(rules.get(0).type()).isEqualTo("new_order");
        assertThat(rules.get(0).silence()).isEqualTo(Duration.ofMinutes(120));
        assertThat(rules.get(1).silence()).isEqualTo(Duration.ofSeconds(30));
        assertThat(SilenceRule.parseAll("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"new_order", "new_order,abc,18:00-23:00", "new_order,0,18:00-23:00",
        "new_order,10,18:00", "new_order,10,25:00-23:00", ",10,18:00-23:00"})
    void parseRejectsInvalidRules(String text) {
        assertThatThrownBy(() -> SilenceRule.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text.trim());
    }

    @ParameterizedTest(name = "{0} at {1} -> {2}")
    @CsvSource({
        "18:00-23:00, 2026-12-04T19:30, 2026-12-04T18:00",
        "18:00-23:00, 2026-12-04T23:30, none",
        "18:00-23:00, 2026-12-04T10:00, none",
        "22:00-02:00, 2026-12-04T23:00, 2026-12-04T22:00",
        "22:00-02:00, 2026-12-05T01:00, 2026-12-04T22:00",
        "22:00-02:00, 2026-12-05T03:00, none",
        "00:00-00:00, 2026-12-04T13:45, 2026-12-04T00:00",
    })
    void windowStartFollowsTheWindow(String window, String now, String expected) {
        SilenceRule rule = SilenceRule.parse("new_order,10," + window);
        ZonedDateTime at = java.time.LocalDateTime.parse(now).atZone(ZONE);
        String actual = rule.windowStart(at).map(start -> start.toLocalDateTime().toString()).orElse("none");
        assertThat(actual).isEqualTo(expected);
    }
}
