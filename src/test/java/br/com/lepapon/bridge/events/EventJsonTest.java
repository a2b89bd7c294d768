package br.com.lepapon.bridge.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final DateTimeFormatter FORMATTER = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    @Test
    void timestampMatchesFormatter() {
        List<ZoneId> zones = List.of(ZoneId.of("America/Sao_Paulo"), ZoneOffset.UTC, ZoneId.of("Asia/Kolkata"),
                ZoneId.of("Pacific/Chatham"), ZoneOffset.ofHoursMinutesSeconds(-1, -2, -3),
                ZoneOffset.ofHoursMinutes(14, 0));
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 300_000_000_000L, random.nextInt(1_000_000_000));
            OffsetDateTime time = instant.atZone(zones.get(i % zones.size())).toOffsetDateTime();
            assertThat(EventJson.timestamp(time)).as("%s", time).isEqualTo(FORMATTER.format(time));
        }
    }

    @Test
    void timestampPadsEachField() {
        OffsetDateTime time = OffsetDateTime.of(33, 1, 2, 3, 4, 5, 6_000_000, ZoneOffset.ofHoursMinutes(-3, -30));
        assertThat(EventJson.timestamp(time)).isEqualTo("0033-01-02T03:04:05.006-03:30");
    }

    @Test
    void compactBytesMatchCompactText() throws Exception {
        List<String> texts = List.of("plain", "São João 🍔🍟", "quote \" backslash \\ slash /", "tab\tnewline\n\u0001\u001f\u007f",
                "\u2028\u2029", "lone \ud83d end", "lone low \udc00", "\ud83d", "pair at end \ud83c\udf54");
        for (String text : texts) {
            ObjectNode json = EventJson.object();
            json.put("text", text);
            json.putArray("list").add(text).add(new java.math.BigDecimal("22.50")).add(12345678901234567890.0);
            json.putObject("nested").put(text, 1);
            assertThat(new String(EventJson.compactBytes(json), StandardCharsets.UTF_8)).as("%s", text)
                    .isEqualTo(EventJson.compact(json));
        }
    }

}
