package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.events.FeedEvent;
import br.com.lepapon.bridge.events.InvalidFrame;
import br.com.lepapon.bridge.replay.ReplayCommands;
import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * replay-day with the real routes and settings: the platform simulator and a webhook receiver run on 127.0.0.1 and
 * the settings point at them, so any connection attempt or post would show in their counters.
 */
class DayReplayTest {

    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
    private static final String DAY = "2026-12-03";
    private static final List<String> FIXTURES = List.of(
            "new_order.json", "new_message.json", "gemini_reply.json", "message_status.json", "custom_message.json",
            "new_order_alternative_names.json", "no_event_field.json", "session_update.json");

    @TempDir
    Path folder;
    private PlatformSimulator simulator;
    private WebhookReceiver receiver;
    private LogCapture logs;
    private Path liveDataDir;
    private Path replayDataDir;
    private Path routesDir;

    @BeforeEach
    void startServers() throws Exception {
        simulator = new PlatformSimulator().start(0, 0);
        receiver = new WebhookReceiver().start(0);
        logs = new LogCapture().start();
        liveDataDir = Files.createDirectories(folder.resolve("live-data"));
        replayDataDir = folder.resolve("replay-data");
        routesDir = copyRoutesWithTestSink();
    }

    @AfterEach
    void stopServers() throws Exception {
        logs.stop();
        receiver.close();
        simulator.close();
    }

    @Test
    void testRouteGetsEveryEventInOrder() throws Exception {
        List<String> events = eventLines();
        Path day = writeDayFile("day.jsonl", events);

        int exitCode = replayDay(day.toString(), "--to", "direct:replay-test-sink", "--data-dir",
                replayDataDir.toString(), "--routes", routesDir.toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        assertThat(Files.readAllLines(replayDataDir.resolve("test-sink.jsonl"), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(events);
        assertNoFeedNoWebhookNoLiveFiles();
        assertThat(logs.lines()).anyMatch(line -> line.contains(day + ": 8 replayed, 0 invalid, 0 failed"));
    }

    @Test
    void routerWritesSameDailyLines() throws Exception {
        List<String> events = eventLines();
        String invalidFrame = EventJson.compact(new InvalidFrame(at(9), "not valid JSON: cut short",
                "{\"event\":\"new_order\"", Optional.empty()).toJson());
        List<String> lines = new ArrayList<>(events);
        lines.add(invalidFrame);
        Path day = writeDayFile("day.jsonl", lines);

        int exitCode = replayDay(day.toString(), "--data-dir", replayDataDir.toString(), "--routes",
                routesDir.toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        Path dayDir = replayDataDir.resolve(DAY);
        assertThat(Files.readAllLines(dayDir.resolve("new_order.jsonl")))
                .containsExactly(events.get(0), events.get(5));
        assertThat(Files.readAllLines(dayDir.resolve("new_message.jsonl"))).containsExactly(events.get(1));
        assertThat(Files.readAllLines(dayDir.resolve("unknown.jsonl"))).containsExactly(events.get(6));
        List<String> invalidFrames = Files.readAllLines(dayDir.resolve("invalid-frames.jsonl"));
        assertThat(invalidFrames).hasSize(1);
        JsonNode written = EventJson.read(invalidFrames.get(0));
        assertThat(written.path("receivedAt").asText()).isEqualTo("2026-12-03T20:15:09.250-03:00");
        assertThat(written.path("frame").asText()).isEqualTo("{\"event\":\"new_order\"");
        assertThat(written.path("reason").asText()).startsWith("not valid JSON: Unexpected end-of-input");
        assertNoFeedNoWebhookNoLiveFiles();
    }

    @Test
    void invalidLinesAreReportedByNumber() throws Exception {
        List<String> events = eventLines();
        String badTime = "{\"receivedAt\":\"yesterday\",\"event\":\"new_order\",\"message\":{\"event\":\"new_order\"}}";
        List<String> lines = List.of(events.get(0), "not json", events.get(1), badTime, "{\"event\":\"x\"}",
                events.get(2));
        Path day = writeDayFile("day.jsonl", lines);

        int exitCode = replayDay(day.toString(), "--to", "direct:replay-test-sink", "--data-dir",
                replayDataDir.toString(), "--routes", routesDir.toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        assertThat(Files.readAllLines(replayDataDir.resolve("test-sink.jsonl")))
                .containsExactly(events.get(0), events.get(1), events.get(2));
        assertThat(logs.lines()).anyMatch(line -> line.contains(day + " line 2: invalid, not valid JSON"));
        assertThat(logs.lines()).anyMatch(line -> line.contains(day + " line 4: invalid, receivedAt 'yesterday'"));
        assertThat(logs.lines()).anyMatch(line -> line.contains(day + " line 5: invalid, has neither a message"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("3 replayed, 3 invalid (lines 2, 4, 5), 0 failed"));
        assertNoFeedNoWebhookNoLiveFiles();
    }

    @Test
    void lineWithoutReceivedAtGetsReplayTime() throws Exception {
        ObjectNode line = (ObjectNode) EventJson.read(eventLines().get(1));
        line.remove("receivedAt");
        Path day = writeDayFile("day.jsonl", List.of(EventJson.compact(line)));
        OffsetDateTime before = OffsetDateTime.now(ZONE).minusSeconds(1);

        int exitCode = replayDay(day.toString(), "--to", "direct:replay-test-sink", "--data-dir",
                replayDataDir.toString(), "--routes", routesDir.toString());

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        String written = Files.readAllLines(replayDataDir.resolve("test-sink.jsonl")).get(0);
        OffsetDateTime receivedAt = OffsetDateTime.parse(EventJson.read(written).path("receivedAt").asText());
        assertThat(receivedAt).isAfter(before);
    }

    @Test
    void webhookPostsOnlyWhenRequested() throws Exception {
        Path day = writeDayFile("day.jsonl", eventLines());
        // Slower than the 2 s a stop gives deliveries in flight: the replay waits for the webhook before it stops.
        receiver.delayResponses(2_500);

        int exitCode = replayDay(day.toString(), "--data-dir", replayDataDir.toString(), "--routes",
                routesDir.toString(), "--webhook");

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_OK);
        assertThat(receiver.requests()).extracting(request -> EventJson.read(request.body()).path("orderId").asText())
                .containsExactlyInAnyOrder("789", "A-1042");
        // Both responses arrived before the stop: the outbox marks both orders done.
        String journal = Files.readString(replayDataDir.resolve("outbox").resolve("webhook-outbox.jsonl"));
        assertThat(journal.split("\"op\":\"done\"", -1)).hasSize(3);
        assertThat(simulator.upgradeRequests()).isZero();
        assertThat(simulator.tokenRequests()).isZero();
    }

    @Test
    void undeliveredOrdersMakeTheReplayIncomplete() throws Exception {
        Path day = writeDayFile("day.jsonl", eventLines());
        // 410 stops the deliveries at once, so the replay does not wait its 30 s.
        receiver.answerAll(410);

        int exitCode = replayDay(day.toString(), "--data-dir", replayDataDir.toString(), "--routes",
                routesDir.toString(), "--webhook");

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        assertThat(logs.lines()).anyMatch(line -> line.contains("orders were not delivered within 30 s"));
    }

    @Test
    void deadLettersMakeTheReplayIncomplete() throws Exception {
        Path day = writeDayFile("day.jsonl", eventLines());
        receiver.answerAll(400);

        int exitCode = replayDay(day.toString(), "--data-dir", replayDataDir.toString(), "--routes",
                routesDir.toString(), "--webhook");

        assertThat(exitCode).isEqualTo(ReplayCommands.EXIT_INCOMPLETE);
        assertThat(logs.lines()).anyMatch(line -> line.contains("2 orders went to the dead-letter file"));
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        Path day = writeDayFile("day.jsonl", eventLines());
        String routes = routesDir.toString();
        String output = replayDataDir.toString();
        List<List<String>> cases = List.of(
                List.of(),
                List.of(folder.resolve("absent.jsonl").toString()),
                List.of(day.toString(), "--to"),
                List.of(day.toString(), "--colour", "red"),
                List.of(day.toString(), "--routes", folder.resolve("no-routes").toString()),
                List.of(day.toString(), "--data-dir", day.toString()),
                List.of(day.toString(), "--routes", routes, "--to", "direct:nobody-listens"),
                List.of(day.toString(), "--routes", routes, "--to", "no-such-scheme:x", "--data-dir", output));
        for (List<String> arguments : cases) {
            assertThat(replayDay(arguments.toArray(String[]::new))).as("exit code for %s", arguments)
                    .isEqualTo(ReplayCommands.EXIT_USAGE);
        }
        Properties withoutWebhook = settings();
        withoutWebhook.put("lepapon.webhook.url", "");
        int webhookWithoutUrl = ReplayCommands.run(withoutWebhook, "replay-day", day.toString(), "--routes", routes,
                "--data-dir", output, "--webhook");
        assertThat(webhookWithoutUrl).isEqualTo(ReplayCommands.EXIT_USAGE);
        assertThat(logs.lines()).anyMatch(line -> line.contains("--webhook needs WEBHOOK_URL"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("replay-day: unknown option --colour"));
        assertThat(logs.lines()).anyMatch(line -> line.contains("replay-day: no route consumes direct:nobody-listens"));
        assertNoFeedNoWebhookNoLiveFiles();
    }

    private int replayDay(String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "replay-day";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return ReplayCommands.run(settings(), command);
    }

    /** Settings a live bridge would use here: the simulator as the platform and the receiver as the webhook. */
    private Properties settings() {
        Properties properties = new Properties();
        properties.put("lepapon.token.endpoint", simulator.tokenEndpoint());
        properties.put("lepapon.feed.connection-info-endpoint", simulator.connectionInfoEndpoint());
        properties.put("lepapon.feed.fallback-url", simulator.feedUrl());
        properties.put("lepapon.feed.reconnect-delay", "0.1");
        properties.put("lepapon.data-dir", liveDataDir.toString());
        properties.put("lepapon.timezone", ZONE.getId());
        properties.put("lepapon.webhook.url", receiver.url());
        properties.put("lepapon.webhook.secret", "test-webhook-secret");
        properties.put("lepapon.http.timeout", "5");
        properties.put("camel.management.port", Integer.toString(BridgeTestSupport.freePort()));
        return properties;
    }

    private void assertNoFeedNoWebhookNoLiveFiles() throws IOException {
        assertThat(simulator.upgradeRequests()).isZero();
        assertThat(simulator.tokenRequests()).isZero();
        assertThat(receiver.requests()).isEmpty();
        try (Stream<Path> files = Files.list(liveDataDir)) {
            assertThat(files).isEmpty();
        }
    }

    /** Returns one daily line per fixture, a second apart on {@link #DAY}, as the daily file sink writes them. */
    private static List<String> eventLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < FIXTURES.size(); i++) {
            ObjectNode message = (ObjectNode) EventJson.read(Fixtures.frame(FIXTURES.get(i)));
            lines.add(EventJson.compact(FeedEvent.of(message, at(i)).toJson()));
        }
        return lines;
    }

    private static OffsetDateTime at(int second) {
        return OffsetDateTime.parse(DAY + "T20:15:00.250-03:00").plusSeconds(second);
    }

    private Path writeDayFile(String name, List<String> lines) throws IOException {
        Path file = folder.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Copies routes/ into a new folder and adds a sink that appends each event's line to test-sink.jsonl. */
    private Path copyRoutesWithTestSink() throws IOException {
        Path copy = Files.createDirectories(folder.resolve("routes"));
        BridgeTestSupport.copyProjectRoutes(copy);
        Files.writeString(copy.resolve("replay-test-sink.yaml"), """
                - route:
                    id: replay-test-sink
                    from:
                      uri: direct:replay-test-sink
                      steps:
                        - process:
                            ref: jsonLine
                        - to:
                            uri: "file:{{lepapon.data-dir}}"
                            parameters:
                              fileName: "test-sink.jsonl"
                              fileExist: Append
                              charset: UTF-8
                """);
        return copy;
    }
}
