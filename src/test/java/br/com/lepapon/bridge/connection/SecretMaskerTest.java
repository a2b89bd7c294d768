package br.com.lepapon.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMaskerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "cca4aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa0a51 | cca4...0a51",
        "123456789                                                        | 1234...6789",
        "12345678                                                         | ***",
        "abc                                                              | ***",
        "''                                                               | ***",
    })
    void maskTokenKeepsFourCharactersEachSide(String token, String expected) {
        assertThat(SecretMasker.maskToken(token.strip())).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "ws://h:3001/?token=cca4bbbbbbbbbbbb0a51          | ws://h:3001/?token=cca4...0a51",
        "ws://h/?a=1&token=cca4bbbbbbbbbbbb0a51&b=2       | ws://h/?a=1&token=cca4...0a51&b=2",
        "ws://h/?token=short                              | ws://h/?token=***",
        "ws://h/?token=                                   | ws://h/?token=***",
        "ws://h/?mytoken=keepme1234567                    | ws://h/?mytoken=keepme1234567",
        "ws://h/?token=a%2Bbcdefghij%26k                  | ws://h/?token=a%2Bbc...ij%26k",
        "failed: ws://h/?token=cca4bbbbbbbbbbbb0a51 (401) | failed: ws://h/?token=cca4...0a51 (401)",
        "ws://h:3001/                                     | ws://h:3001/",
    })
    void maskUriMasksOnlyTheToken(String uri, String expected) {
        assertThat(SecretMasker.maskUri(uri.strip())).isEqualTo(expected.strip());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "https://lepapon.com.br/api/websocket/token               | https://lepapon.com.br/api/websocket/token",
        "http://127.0.0.1:8080/token?apikey=invented123           | http://127.0.0.1:8080/token?...",
        "https://user:invented-password@host.example/hook?a=1     | https://host.example/hook?...",
    })
    void redactEndpointDropsCredentials(String uri, String expected) {
        assertThat(SecretMasker.redactEndpoint(java.net.URI.create(uri.strip()))).isEqualTo(expected.strip());
    }
}
