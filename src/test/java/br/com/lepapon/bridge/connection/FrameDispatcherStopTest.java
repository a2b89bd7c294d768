package br.com.lepapon.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.events.EventJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping with a backlog returns the frames not routed in time, and they are saved to a file. */
class FrameDispatcherStopTest {

    private static final int FRAMES = 200;

    @TempDir
    Path dataDir;

    @Test
    void stopReturnsUnroutedFramesInOrder() throws Exception {
        List<String> routed = new java.util.concurrent.CopyOnWriteArrayList<>();
        FrameDispatcher dispatcher = new FrameDispatcher(frame -> {
            routed.add(frame.text());
            sleep(20);
        });
        dispatcher.start();
        IntStream.range(0, FRAMES).forEach(i -> dispatcher.submit(new ReceivedFrame("frame-" + i, Instant.now(),
                Optional.empty())));

        List<ReceivedFrame> unprocessed = dispatcher.stop(300);

        assertThat(routed).isNotEmpty();
        assertThat(unprocessed).isNotEmpty();
        List<String> all = new ArrayList<>(routed);
        unprocessed.forEach(frame -> all.add(frame.text()));
        assertThat(all).containsExactlyElementsOf(IntStream.range(0, FRAMES).mapToObj(i -> "frame-" + i).toList());

        UnprocessedFrameFile.write(settings(), unprocessed);
        Path day = Files.list(dataDir).findFirst().orElseThrow();
        List<String> lines = Files.readAllLines(day.resolve(UnprocessedFrameFile.FILE_NAME));
        assertThat(lines).hasSize(unprocessed.size());
        assertThat(EventJson.read(lines.get(0)).path("frame").asText()).isEqualTo(unprocessed.get(0).text());
    }

    /** Stands in for a slow route. */
    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BridgeSettings settings() {
        java.util.Map<String, String> values = new java.util.HashMap<>();
        values.put("lepapon.feed.fallback-url", "ws://127.0.0.1:1");
        values.put("lepapon.feed.connection-info-endpoint", "http://127.0.0.1:1/connection");
        values.put("lepapon.token.endpoint", "http://127.0.0.1:1/token");
        values.put("lepapon.http.timeout", "1");
        values.put("lepapon.feed.reconnect-delay", "1");
        values.put("lepapon.feed.reconnect-max-delay", "1");
        values.put("lepapon.feed.stable-after", "1");
        values.put("lepapon.feed.readiness-grace", "1");
        values.put("lepapon.feed.connect-timeout", "1");
        values.put("lepapon.feed.ping-interval", "1");
        values.put("lepapon.feed.ping-timeout", "2");
        values.put("lepapon.feed.max-frame-bytes", "1000");
        values.put("lepapon.data-dir", dataDir.toString());
        values.put("lepapon.timezone", "America/Sao_Paulo");
        values.put("lepapon.webhook.max-attempts", "1");
        values.put("lepapon.webhook.retry-delay", "1");
        values.put("lepapon.webhook.retry-max-delay", "1");
        values.put("lepapon.webhook.max-retry-time", "1");
        values.put("lepapon.webhook.concurrency", "1");
        values.put("lepapon.webhook.max-pending", "1");
        values.put("lepapon.webhook.dedup-max-keys", "1");
        values.put("lepapon.webhook.dedup-max-age", "1");
        return BridgeSettings.load(key -> Optional.ofNullable(values.get(key)));
    }
}
