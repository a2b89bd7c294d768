package br.com.lepapon.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BridgeSettingsTest {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\{\\{env:[A-Z_]+:(.*)}}");

    /** Returns the defaults of application.properties, as they resolve with no environment variable set. */
    private static Map<String, String> defaults() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = BridgeSettingsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher matcher = ENV_DEFAULT.matcher(properties.getProperty(key));
            values.put(key, matcher.matches() ? matcher.group(1) : properties.getProperty(key));
        }
        return values;
    }

    private static BridgeSettings load(Map<String, String> values) {
        return BridgeSettings.load(key -> Optional.ofNullable(values.get(key)));
    }

    @Test
    void defaultsMatchTheDocumentedValues() throws Exception {
        BridgeSettings settings = load(defaults());
        assertThat(settings.feedUrl()).isEmpty();
        assertThat(settings.fixedToken()).isEmpty();
        assertThat(settings.tokenEndpoint()).hasToString("https://lepapon.com.br/api/websocket/token");
        assertThat(settings.connectionInfoEndpoint()).hasToString("https://lepapon.com.br/api/websocket/connection");
        assertThat(settings.fallbackFeedUrl()).hasToString("ws://lepapon.com.br:3001");
        assertThat(settings.reconnectDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.reconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.pingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.timezone().getId()).isEqualTo("America/Sao_Paulo");
        assertThat(settings.webhookUrl()).isEmpty();
        assertThat(settings.webhookMaxAttempts()).isZero();
        assertThat(settings.webhookRetryMaxDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.webhookMaxRetryTime()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.webhookConcurrency()).isEqualTo(4);
        assertThat(settings.webhookDedupMaxKeys()).isEqualTo(100_000);
        assertThat(settings.webhookDedupMaxAge()).isEqualTo(Duration.ofHours(24));
        long heapShare = Runtime.getRuntime().maxMemory() / 64;
        assertThat(settings.maxFrameBytes()).isEqualTo((int) Math.min(16 * 1024 * 1024, heapShare));
    }

    @Test
    void frameLimitCanBeSet() throws Exception {
        Map<String, String> values = defaults();
        values.put("lepapon.feed.max-frame-bytes", "65536");
        assertThat(load(values).maxFrameBytes()).isEqualTo(65536);
    }

    @Test
    void authTokenWinsOverWebsocketToken() throws Exception {
        Map<String, String> values = defaults();
        values.put("lepapon.token.websocket.token", "second-token-value");
        assertThat(load(values).fixedToken()).contains("second-token-value");
        values.put("lepapon.token.auth-token", "first-token-value");
        assertThat(load(values).fixedToken()).contains("first-token-value");
    }

    @Test
    void decimalSecondsAreAccepted() throws Exception {
        Map<String, String> values = defaults();
        values.put("lepapon.feed.reconnect-delay", "0.25");
        assertThat(load(values).reconnectDelay()).isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "lepapon.feed.url                         | http://x:1      | WS_URL",
        "lepapon.feed.url                         | ws://           | WS_URL",
        "lepapon.token.endpoint                   | not a url       | WS_TOKEN_ENDPOINT",
        "lepapon.feed.connection-info-endpoint    | ftp://h/x       | WS_CONNECTION_INFO_ENDPOINT",
        "lepapon.feed.reconnect-delay             | -1              | WS_RECONNECT_DELAY",
        "lepapon.feed.reconnect-delay             | five            | WS_RECONNECT_DELAY",
        "lepapon.feed.reconnect-max-delay         | 1               | WS_RECONNECT_MAX_DELAY",
        "lepapon.feed.ping-interval               | 0               | WS_PING_INTERVAL",
        "lepapon.http.timeout                     | 0.0004          | HTTP_TIMEOUT",
        "lepapon.timezone                         | Mars/Olympus    | LEPAPON_TIMEZONE",
        "lepapon.webhook.url                      | ws://h/hook     | WEBHOOK_URL",
        "lepapon.webhook.max-attempts             | -1              | WEBHOOK_MAX_ATTEMPTS",
        "lepapon.webhook.concurrency              | 0               | WEBHOOK_CONCURRENCY",
        "lepapon.webhook.dedup-max-keys           | many            | WEBHOOK_DEDUP_MAX_KEYS",
        "lepapon.webhook.max-retry-time           | -5              | WEBHOOK_MAX_RETRY_TIME",
    })
    void invalidValueNamesTheSetting(String key, String value, String envVar) throws Exception {
        Map<String, String> values = defaults();
        values.put(key, value);
        assertThatThrownBy(() -> load(values))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining(envVar)
                .hasMessageContaining(key)
                .hasMessageContaining("'" + value + "'");
    }

    @Test
    void webhookUrlWithPasswordIsRejectedWithoutIt() throws Exception {
        Map<String, String> values = defaults();
        values.put("lepapon.webhook.url", "http://bob:s3cretpass@127.0.0.1:18019/webhook");
        assertThatThrownBy(() -> load(values))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("WEBHOOK_URL")
                .hasMessageContaining("without user:password")
                .hasMessageNotContaining("s3cretpass");
    }

    @Test
    void dataDirThatIsAFileIsInvalid(@org.junit.jupiter.api.io.TempDir java.nio.file.Path folder) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createFile(folder.resolve("afile"));
        Map<String, String> values = defaults();
        for (java.nio.file.Path dataDir : List.of(file, file.resolve("sub"))) {
            values.put("lepapon.data-dir", dataDir.toString());
            assertThatThrownBy(() -> load(values))
                    .isInstanceOf(InvalidSettingException.class)
                    .hasMessageContaining("DATA_DIR")
                    .hasMessageContaining(file + " is a file");
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"whsec_!!!notbase64!!!", "whsec_"})
    void invalidWebhookSecretIsRejectedWithoutItsValue(String secret) throws Exception {
        Map<String, String> values = defaults();
        values.put("lepapon.webhook.secret", secret);
        assertThatThrownBy(() -> load(values))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("WEBHOOK_SECRET")
                .hasMessageNotContaining("notbase64");
    }

    @Test
    void misspeltLogLevelIsRejected() {
        assertThatThrownBy(() -> BridgeSettings.checkEnvironment(Map.of("LOG_LEVEL", "verbose")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("LOG_LEVEL")
                .hasMessageContaining("'verbose'");
    }

    @Test
    void secretWithPlaceholderIsRejectedWithoutItsValue() {
        assertThatThrownBy(() -> BridgeSettings.checkEnvironment(Map.of("WS_AUTH_TOKEN", "tok{{nope}}en-invented")))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("WS_AUTH_TOKEN")
                .hasMessageNotContaining("nope");
    }

    @Test
    void usualEnvironmentIsAccepted() {
        Map<String, String> environment = Map.of("LOG_LEVEL", "debug", "CAMEL_LOG_LEVEL", "", "WS_AUTH_TOKEN", "plain");
        org.assertj.core.api.Assertions.assertThatCode(() -> BridgeSettings.checkEnvironment(environment))
                .doesNotThrowAnyException();
    }
}
