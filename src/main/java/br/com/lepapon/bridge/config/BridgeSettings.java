package br.com.lepapon.bridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Optional;
import java.util.function.Function;

import br.com.lepapon.bridge.HeapShare;
import br.com.lepapon.bridge.alarm.SilenceRule;
import br.com.lepapon.bridge.config.SettingReader.Setting;
import br.com.lepapon.bridge.connection.SecretMasker;

/**
 * Every setting of the bridge, read once at startup from application.properties, where each key defaults to
 * an environment variable. {@link #load} rejects invalid values so that a bad setting stops startup early.
 */
public record BridgeSettings(
        Optional<URI> feedUrl,
        URI fallbackFeedUrl,
        URI connectionInfoEndpoint,
        Optional<String> fixedToken,
        URI tokenEndpoint,
        Optional<String> tokenApiKey,
        Duration httpTimeout,
        Duration reconnectDelay,
        Duration reconnectMaxDelay,
        Duration stableAfter,
        Duration readinessGrace,
        Duration connectTimeout,
        Duration pingInterval,
        Duration pingTimeout,
        int maxFrameBytes,
        Path dataDir,
        ZoneId timezone,
        Optional<URI> webhookUrl,
        Optional<String> webhookSecret,
        int webhookMaxAttempts,
        Duration webhookRetryDelay,
        Duration webhookRetryMaxDelay,
        Duration webhookMaxRetryTime,
        int webhookConcurrency,
        int webhookMaxPending,
        int webhookDedupMaxKeys,
        Duration webhookDedupMaxAge,
        List<SilenceRule> silenceRules) {

    static final Setting FEED_URL = new Setting("lepapon.feed.url", "WS_URL");
    static final Setting FALLBACK_FEED_URL = new Setting("lepapon.feed.fallback-url", "WS_FALLBACK_URL");
    static final Setting CONNECTION_INFO = new Setting("lepapon.feed.connection-info-endpoint",
            "WS_CONNECTION_INFO_ENDPOINT");
    static final Setting AUTH_TOKEN = new Setting("lepapon.token.auth-token", "WS_AUTH_TOKEN");
    static final Setting WEBSOCKET_TOKEN = new Setting("lepapon.token.websocket.token", "WEBSOCKET_TOKEN");
    static final Setting TOKEN_ENDPOINT = new Setting("lepapon.token.endpoint", "WS_TOKEN_ENDPOINT");
    static final Setting TOKEN_API_KEY = new Setting("lepapon.token.api-key", "WS_TOKEN_API_KEY");
    static final Setting HTTP_TIMEOUT = new Setting("lepapon.http.timeout", "HTTP_TIMEOUT");
    static final Setting RECONNECT_DELAY = new Setting("lepapon.feed.reconnect-delay", "WS_RECONNECT_DELAY");
    static final Setting RECONNECT_MAX_DELAY = new Setting("lepapon.feed.reconnect-max-delay",
            "WS_RECONNECT_MAX_DELAY");
    static final Setting STABLE_AFTER = new Setting("lepapon.feed.stable-after", "WS_STABLE_AFTER");
    static final Setting READINESS_GRACE = new Setting("lepapon.feed.readiness-grace", "WS_READINESS_GRACE");
    static final Setting CONNECT_TIMEOUT = new Setting("lepapon.feed.connect-timeout", "WS_CONNECT_TIMEOUT");
    static final Setting PING_INTERVAL = new Setting("lepapon.feed.ping-interval", "WS_PING_INTERVAL");
    static final Setting PING_TIMEOUT = new Setting("lepapon.feed.ping-timeout", "WS_PING_TIMEOUT");
    static final Setting MAX_FRAME_BYTES = new Setting("lepapon.feed.max-frame-bytes", "WS_MAX_FRAME_BYTES");
    /**
     * Largest message by default: 16 MiB, or 1/64 of the heap if that is less. A message takes several times its size
     * in heap on its way through the routes. With an 80 MiB heap, ten messages of 1/32 of it in a row passed, and ten
     * of 1/20 of it ran out of heap.
     */
    static final int DEFAULT_MAX_FRAME_BYTES = (int) HeapShare.of(16 * 1024 * 1024, 64);
    static final Setting DATA_DIR = new Setting("lepapon.data-dir", "DATA_DIR");
    static final Setting TIMEZONE = new Setting("lepapon.timezone", "LEPAPON_TIMEZONE");
    static final Setting WEBHOOK_URL = new Setting("lepapon.webhook.url", "WEBHOOK_URL");
    static final Setting WEBHOOK_SECRET = new Setting("lepapon.webhook.secret", "WEBHOOK_SECRET");
    static final Setting WEBHOOK_MAX_ATTEMPTS = new Setting("lepapon.webhook.max-attempts",
            "WEBHOOK_MAX_ATTEMPTS");
    static final Setting WEBHOOK_RETRY_DELAY = new Setting("lepapon.webhook.retry-delay", "WEBHOOK_RETRY_DELAY");
    static final Setting WEBHOOK_RETRY_MAX_DELAY = new Setting("lepapon.webhook.retry-max-delay",
            "WEBHOOK_RETRY_MAX_DELAY");
    static final Setting WEBHOOK_MAX_RETRY_TIME = new Setting("lepapon.webhook.max-retry-time",
            "WEBHOOK_MAX_RETRY_TIME");
    static final Setting WEBHOOK_CONCURRENCY = new Setting("lepapon.webhook.concurrency", "WEBHOOK_CONCURRENCY");
    static final Setting WEBHOOK_MAX_PENDING = new Setting("lepapon.webhook.max-pending", "WEBHOOK_MAX_PENDING");
    static final Setting WEBHOOK_DEDUP_MAX_KEYS = new Setting("lepapon.webhook.dedup-max-keys",
            "WEBHOOK_DEDUP_MAX_KEYS");
    static final Setting WEBHOOK_DEDUP_MAX_AGE = new Setting("lepapon.webhook.dedup-max-age",
            "WEBHOOK_DEDUP_MAX_AGE");
    static final Setting SILENCE_ALARM = new Setting("lepapon.alarm.silence", "SILENCE_ALARM");

    /**
     * Reads and checks every setting.
     *
     * @param  lookup                  returns a property's resolved value, or empty when it is not set
     * @throws InvalidSettingException naming the first invalid setting
     */
    public static BridgeSettings load(Function<String, Optional<String>> lookup) {
        SettingReader reader = new SettingReader(lookup);
        Duration reconnectDelay = reader.seconds(RECONNECT_DELAY);
        Duration reconnectMaxDelay = reader.seconds(RECONNECT_MAX_DELAY);
        if (reconnectMaxDelay.compareTo(reconnectDelay) < 0) {
            throw SettingReader.invalid(RECONNECT_MAX_DELAY, reader.requiredText(RECONNECT_MAX_DELAY),
                    "at least " + RECONNECT_DELAY.envVar() + " (" + reader.requiredText(RECONNECT_DELAY) + ")");
        }
        Optional<String> fixedToken = reader.text(AUTH_TOKEN).or(() -> reader.text(WEBSOCKET_TOKEN));
        return new BridgeSettings(
                reader.uri(FEED_URL, "ws", "wss"),
                reader.requiredUri(FALLBACK_FEED_URL, "ws", "wss"),
                reader.requiredUri(CONNECTION_INFO, "http", "https"),
                fixedToken,
                reader.requiredUri(TOKEN_ENDPOINT, "http", "https"),
                reader.text(TOKEN_API_KEY),
                reader.seconds(HTTP_TIMEOUT),
                reconnectDelay,
                reconnectMaxDelay,
                reader.seconds(STABLE_AFTER),
                reader.seconds(READINESS_GRACE),
                reader.seconds(CONNECT_TIMEOUT),
                reader.seconds(PING_INTERVAL),
                reader.seconds(PING_TIMEOUT),
                maxFrameBytes(reader.nonNegativeInt(MAX_FRAME_BYTES)),
                reader.folder(DATA_DIR),
                reader.zone(TIMEZONE),
                reader.uri(WEBHOOK_URL, "http", "https"),
                reader.webhookSecret(WEBHOOK_SECRET),
                reader.nonNegativeInt(WEBHOOK_MAX_ATTEMPTS),
                reader.seconds(WEBHOOK_RETRY_DELAY),
                reader.seconds(WEBHOOK_RETRY_MAX_DELAY),
                reader.seconds(WEBHOOK_MAX_RETRY_TIME),
                reader.positiveInt(WEBHOOK_CONCURRENCY),
                reader.positiveInt(WEBHOOK_MAX_PENDING),
                reader.positiveInt(WEBHOOK_DEDUP_MAX_KEYS),
                reader.seconds(WEBHOOK_DEDUP_MAX_AGE),
                silenceRules(reader));
    }

    private static List<SilenceRule> silenceRules(SettingReader reader) {
        String value = reader.text(SILENCE_ALARM).orElse("");
        try {
            return SilenceRule.parseAll(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("Invalid setting " + SILENCE_ALARM.envVar() + " (property "
                    + SILENCE_ALARM.property() + "): " + e.getMessage());
        }
    }

    /** Environment variables that hold secrets; Camel would read {@code {{...}}} in them as a placeholder. */
    static final List<String> SECRET_ENV_VARS = List.of(
            AUTH_TOKEN.envVar(), WEBSOCKET_TOKEN.envVar(), TOKEN_API_KEY.envVar(), WEBHOOK_SECRET.envVar());
    private static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /**
     * Checks the environment variables that are read outside application.properties: the log levels, which
     * logback would silently turn into DEBUG when misspelt, and secrets that contain {@code {{}, which Camel would
     * try to resolve as a placeholder and then drop.
     *
     * @throws InvalidSettingException naming the first invalid variable, without its value when it is a secret
     */
    public static void checkEnvironment(Map<String, String> environment) {
        for (String name : List.of("LOG_LEVEL", "CAMEL_LOG_LEVEL")) {
            String level = environment.get(name);
            boolean known = level == null || level.isBlank()
                    || LOG_LEVELS.contains(level.trim().toUpperCase(Locale.ROOT));
            if (!known) {
                throw new InvalidSettingException("Invalid setting " + name + ": '" + level
                        + "' is not one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
            }
        }
        for (String name : SECRET_ENV_VARS) {
            String secret = environment.get(name);
            if (secret != null && secret.contains("{{")) {
                throw new InvalidSettingException("Invalid setting " + name
                        + ": the value contains '{{', which Camel reads as a property placeholder");
            }
        }
    }

    /** Returns a description without secrets, for the startup log. */
    @Override
    public String toString() {
        return "BridgeSettings[feedUrl=" + feedUrl.map(uri -> "(set)").orElse("(discovered)")
                + ", connectionInfoEndpoint=" + SecretMasker.redactEndpoint(connectionInfoEndpoint)
                + ", token=" + (fixedToken.isPresent() ? "fixed" : "from " + SecretMasker.redactEndpoint(tokenEndpoint))
                + ", reconnectDelay=" + reconnectDelay + ", reconnectMaxDelay=" + reconnectMaxDelay
 + ", pingInterval=" + pingInterval + ", pingTimeout=" + pingTimeout
                + ", maxFrameBytes=" + maxFrameBytes + ", dataDir=" + dataDir + ", timezone=" + timezone
                + ", webhook=" + (webhookUrl.isPresent() ? "enabled" : "disabled") + "]";
    }

    /** Returns the message size limit, where 0 stands for {@link #DEFAULT_MAX_FRAME_BYTES}. */
    private static int maxFrameBytes(int configured) {
        return configured == 0 ? DEFAULT_MAX_FRAME_BYTES : configured;
    }
}
