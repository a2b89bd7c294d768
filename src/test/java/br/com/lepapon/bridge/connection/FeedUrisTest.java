package br.com.lepapon.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FeedUrisTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ws://localhost:3001,                 ws://lepapon.com.br:3001/",
        "ws://127.0.0.1:3001/feed,            ws://lepapon.com.br:3001/feed",
        "ws://0.0.0.0:3001,                   ws://lepapon.com.br:3001/",
        "ws://[::1]:3001,                     ws://lepapon.com.br:3001/",
        "ws://LOCALHOST:3001,                 ws://lepapon.com.br:3001/",
        "http://localhost:3001,               ws://lepapon.com.br:3001/",
        "https://localhost/socket,            wss://lepapon.com.br/socket",
        "wss://feed.example.org:8443/a?b=1,   wss://feed.example.org:8443/a?b=1",
        "ws://10.1.2.3:3001,                  ws://10.1.2.3:3001/",
    })
    void normaliseReplacesLocalHosts(String discovered, String expected) {
        assertThat(FeedUris.normalise(discovered, "lepapon.com.br")).isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://localhost:3001", "not a uri", "ws:///nohost", "localhost:3001"})
    void normaliseRejectsInvalidUris(String discovered) {
        assertThatThrownBy(() -> FeedUris.normalise(discovered, "lepapon.com.br"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Discovered feed URL");
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "ws://h:3001             | abc      | ws://h:3001/?token=abc",
        "ws://h:3001/            | abc      | ws://h:3001/?token=abc",
        "ws://h:3001/?token=old  | new      | ws://h:3001/?token=new",
        "ws://h/?a=1&token=old&b=2 | new    | ws://h/?a=1&b=2&token=new",
        "ws://h/?a=1             | a+b/c=d& | ws://h/?a=1&token=a%2Bb%2Fc%3Dd%26",
        "wss://h/x?token         | é ü      | wss://h/x?token=%C3%A9+%C3%BC",
    })
    void withTokenAddsOrReplacesToken(String uri, String token, String expected) {
        assertThat(FeedUris.withToken(URI.create(uri.strip()), token.strip()))
                .hasToString(expected.strip());
    }
}
