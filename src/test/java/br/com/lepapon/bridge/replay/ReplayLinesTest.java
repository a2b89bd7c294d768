package br.com.lepapon.bridge.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import br.com.lepapon.bridge.replay.JsonLinesReader.Line;
import br.com.lepapon.bridge.sinks.WebhookRetries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayLinesTest {

    @TempDir
    Path folder;

    @Test
    void readerNumbersLinesAndFlagsTornLast() throws Exception {
        Path file = folder.resolve("lines.jsonl");
        byte[] notUtf8 = {'{', (byte) 0xC3, '}'};
        Files.write(file, concat("{\"a\":1}\n\n".getBytes(StandardCharsets.UTF_8), notUtf8,
                "\n{\"b\":".getBytes(StandardCharsets.UTF_8)));

        try (JsonLinesReader reader = new JsonLinesReader(file)) {
            Line first = reader.next();
            assertThat(first.number()).isEqualTo(1);
            assertThat(first.text()).isEqualTo("{\"a\":1}");
            assertThat(first.endsWithNewline()).isTrue();
            assertThat(reader.next().isBlank()).isTrue();
            Line third = reader.next();
            assertThat(third.bytes()).isEqualTo(notUtf8);
            assertThatThrownBy(third::text).isInstanceOf(CharacterCodingException.class);
            Line last = reader.next();
            assertThat(last.number()).isEqualTo(4);
            assertThat(last.endsWithNewline()).isFalse();
            assertThat(last.describe("not valid JSON")).contains("no newline");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void deadLetterKeepsIdAndBody() throws Exception {
        DeadLetterLine letter = DeadLetterLine.parse("{\"failedAt\":\"2026-12-03T21:00:00.000-03:00\","
                + "\"webhookId\":\"msg_1\",\"attempts\":6,\"reason\":\"HTTP 503\","
                + "\"delivery\":{\"event\":\"new_order\",\"total\":22.50,\"big\":1E+400}}");

        assertThat(letter.webhookId()).isEqualTo("msg_1");
        assertThat(new String(letter.body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"event\":\"new_order\",\"total\":22.50,\"big\":1E+400}");
    }

    @Test
    void deadLetterRejectsMissingFields() {
        assertThatThrownBy(() -> DeadLetterLine.parse("[1]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> DeadLetterLine.parse("{\"delivery\":{}}"))
                .hasMessage("missing webhookId, or not a string");
        assertThatThrownBy(() -> DeadLetterLine.parse("{\"webhookId\":\"msg 1\",\"delivery\":{}}"))
                .hasMessage("webhookId is not 1 to 256 visible ASCII characters");
        assertThatThrownBy(() -> DeadLetterLine.parse("{\"webhookId\":\"msg_1\",\"delivery\":\"x\"}"))
                .hasMessage("missing delivery, or not a JSON object");
        assertThatThrownBy(() -> DeadLetterLine.parse("{\"webhookId\":\"msg_1\",\"webhookId\":\"msg_2\"}"))
                .hasMessageStartingWith("not valid JSON: Duplicate field 'webhookId'");
    }

    @Test
    void dayLineGivesFrameAndReceivedAt() throws Exception {
        DayLine event = DayLine.parse("{\"receivedAt\":\"2026-12-03T20:15:00.250-03:00\",\"event\":\"new_order\","
                + "\"message\":{\"event\":\"new_order\",\"n\":1.50}}");
        assertThat(event.frame()).isEqualTo("{\"event\":\"new_order\",\"n\":1.50}");
        assertThat(event.receivedAt()).contains(Instant.parse("2026-12-03T23:15:00.250Z"));
        assertThat(event.frameBase64()).isEmpty();

        DayLine invalidFrame = DayLine.parse("{\"receivedAt\":\"2026-12-03T20:15:00.250-03:00\","
                + "\"reason\":\"binary frame is not valid UTF-8\",\"frame\":\"\\ufffd\",\"frameBase64\":\"ww==\"}");
        assertThat(invalidFrame.frame()).isEqualTo("\ufffd");
        assertThat(invalidFrame.frameBase64()).contains("ww==");

        DayLine unprocessed = DayLine.parse("{\"frame\":\"hello\"}");
        assertThat(unprocessed.frame()).isEqualTo("hello");
        assertThat(unprocessed.receivedAt()).isEmpty();
    }

    @Test
    void dayLineRejectsOtherLines() {
        assertThatThrownBy(() -> DayLine.parse("{\"event\":\"feed_gap\",\"durationMillis\":5}"))
                .hasMessage("has neither a message object nor a frame string");
        assertThatThrownBy(() -> DayLine.parse("{\"receivedAt\":12,\"message\":{}}"))
                .hasMessage("receivedAt is not a string");
        assertThatThrownBy(() -> DayLine.parse("{\"receivedAt\":\"2026-12-03T20:15:00\",\"message\":{}}"))
                .hasMessage("receivedAt '2026-12-03T20:15:00' is not an ISO-8601 time with an offset");
        assertThatThrownBy(() -> DayLine.parse("{\"message\":")).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void retriedStatusesMatchTheWebhookTable() {
        for (int status : new int[] {408, 425, 429, 500, 503, 599}) {
            assertThat(WebhookRetries.isRetriable(null, status)).as("HTTP %d", status).isTrue();
        }
        for (int status : new int[] {300, 400, 401, 404, 410, 422}) {
            assertThat(WebhookRetries.isRetriable(null, status)).as("HTTP %d", status).isFalse();
        }
        assertThat(WebhookRetries.isRetriable(new java.io.IOException("reset"), null)).isTrue();
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
