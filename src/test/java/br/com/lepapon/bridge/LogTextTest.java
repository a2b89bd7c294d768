package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogTextTest {

    @Test
    void sanitizeRemovesLineBreaksAndCuts() {
        assertThat(LogText.sanitize("a\nFAKE ERROR\r\tb", 100)).isEqualTo("a FAKE ERROR  b");
        assertThat(LogText.sanitize("abcdef", 3)).isEqualTo("abc...");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "5511900000001, 5511*****0001",
        "+5511900000001, +5511*****0001",
        "Maria,         Maria",
        "12345,         12345",
        "12345678,      12345678",
        "123456789,     1234*6789",
        "5511987654321@c.us,    5511*****4321@c.us",
        "'+55 11 98765-4321',   '+55 11 *****-4321'",
        "'ligue (11) 98765-4321', 'ligue (11) 98***-4321'",
        "'pedido 1234567',       'pedido 1234567'",
    })
    void maskPhoneKeepsFourDigitsEachSide(String value, String expected) {
        assertThat(LogText.maskPhone(value)).isEqualTo(expected);
    }

    @Test
    void previewMasksPhonesAndTokenLikeRuns() {
        String frame = "{\"session_id\":\"5511900000001\",\"t\":\"cca4aaaaaaaaaaaaaaaaaaaa0a51\"}";
        String preview = LogText.preview(frame, 200);
        assertThat(preview).contains("5511*****0001");
        assertThat(preview).doesNotContain("5511900000001");
        assertThat(preview).doesNotContain("cca4aaaa");
    }
}
