package br.com.lepapon.bridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import br.com.lepapon.bridge.connection.FeedGap;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The JSON Lines writer on its own, against real files in a temporary folder. */
class JsonLinesWriterTest {

    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
    private static final JsonLinesWriter.Limits SMALL = new JsonLinesWriter.Limits(64, 1024 * 1024, 5, 1024 * 1024,
            2, Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofSeconds(10));

    @TempDir
    Path dataDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final CamelContext camel = new DefaultCamelContext();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<JsonLinesWriter> writers = new ArrayList<>();

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(JsonLinesWriter.class)).addAppender(log);
    }

    @AfterEach
    void stopWriters() throws Exception {
        for (JsonLinesWriter writer : writers) {
            writer.stop();
        }
        ((Logger) LoggerFactory.getLogger(JsonLinesWriter.class)).detachAppender(log);
        camel.close();
    }

    private JsonLinesWriter writer(JsonLinesWriter.Limits limits) {
        JsonLinesWriter writer = new JsonLinesWriter(dataDir, ZONE, new BridgeMetrics(registry), limits);
        writers.add(writer);
        return writer;
    }

    private void send(JsonLinesWriter writer, String file, Object body) throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(JsonLinesWriter.FILE_HEADER, file);
        exchange.getMessage().setBody(body);
        writer.process(exchange);
    }

    private List<String> lines(String file) throws Exception {
        Path path = dataDir.resolve(file);
        return Files.exists(path) ? Files.readAllLines(path, StandardCharsets.UTF_8) : List.of();
    }

    private double counter(String name) {
        return registry.get(name).counter().count();
    }

    private double pending() {
        return registry.get("lepapon_file_lines_pending").gauge().value();
    }

    private List<String> errors() {
        return log.list.stream().filter(event -> event.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static String numbered(int n) {
        return "{\"n\":" + n + "}";
    }

    @Test
    void linesKeepTheirOrderInEachFile() throws Exception {
        // Two open files at most, so writing to five files closes and reopens them.
        JsonLinesWriter writer = writer(SMALL);
        writer.start();
        for (int i = 0; i < 500; i++) {
            send(writer, "day/file" + (i % 5) + ".jsonl", numbered(i));
        }
        writer.stop();

        for (int f = 0; f < 5; f++) {
            int first = f;
            List<String> expected = IntStream.iterate(first, i -> i < 500, i -> i + 5)
                    .mapToObj(JsonLinesWriterTest::numbered).toList();
            assertThat(lines("day/file" + f + ".jsonl")).as("file%d.jsonl", f).isEqualTo(expected);
        }
        assertThat(pending()).isZero();
    }

    @Test
    void bodiesBecomeOneLineEach() throws Exception {
        JsonLinesWriter writer = writer(JsonLinesWriter.Limits.DEFAULT);
        writer.start();
        OffsetDateTime at = OffsetDateTime.parse("2026-12-04T13:01:02.123-03:00");
        send(writer, "bodies.jsonl", new FeedGap(at, at.plusSeconds(2), "connection lost"));
        send(writer, "bodies.jsonl", EventJson.read("{\"a\": [1, 2]}"));
        send(writer, "bodies.jsonl", "{\"text\":\"ends with a newline\"}\n");
        send(writer, "bodies.jsonl", "{\"text\":\"ação\"}".getBytes(StandardCharsets.UTF_8));
        writer.stop();

        List<String> lines = lines("bodies.jsonl");
        assertThat(lines).hasSize(4);
        JsonNode gap = EventJson.read(lines.get(0));
        assertThat(gap.path("durationMillis").asLong()).isEqualTo(2000);
        assertThat(gap.path("cause").asText()).isEqualTo("connection lost");
        assertThat(lines.get(1)).isEqualTo("{\"a\":[1,2]}");
        assertThat(lines.get(2)).isEqualTo("{\"text\":\"ends with a newline\"}");
        assertThat(lines.get(3)).isEqualTo("{\"text\":\"ação\"}");
    }

    @Test
    void lineLargerThanBufferIsWrittenWhole() throws Exception {
        JsonLinesWriter writer = writer(JsonLinesWriter.Limits.DEFAULT);
        writer.start();
        String large = "{\"text\":\"" + "x".repeat(3 * JsonLinesWriterThread.WRITE_BUFFER_BYTES + 17) + "\"}";
        send(writer, "large.jsonl", numbered(1));
        send(writer, "large.jsonl", large);
        send(writer, "large.jsonl", numbered(2));
        writer.stop();

        assertThat(lines("large.jsonl")).containsExactly(numbered(1), large, numbered(2));
    }

    @Test
    void tornLastLineGetsNewlineFirst() throws Exception {
        // A file left by a crash in the middle of a line.
        Path file = dataDir.resolve("day/torn.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, numbered(0) + "\n{\"n\":1,\"tex");
        JsonLinesWriter writer = writer(JsonLinesWriter.Limits.DEFAULT);
        writer.start();
        send(writer, "day/torn.jsonl", numbered(2));
        send(writer, "day/torn.jsonl", numbered(3));
        writer.stop();

        assertThat(lines("day/torn.jsonl")).containsExactly(numbered(0), "{\"n\":1,\"tex", numbered(2), numbered(3));
    }

    @Test
    void completeLastLineGetsNoExtraNewline() throws Exception {
        Path file = dataDir.resolve("whole.jsonl");
        Files.writeString(file, numbered(0) + "\n");
        JsonLinesWriter writer = writer(JsonLinesWriter.Limits.DEFAULT);
        writer.start();
        send(writer, "whole.jsonl", numbered(1));
        writer.stop();

        assertThat(Files.readString(file)).isEqualTo(numbered(0) + "\n" + numbered(1) + "\n");
    }

    @Test
    void linesPastHeldLimitAreLost() throws Exception {
        // A regular file where the day folder should be: creating the folder fails.
        Files.writeString(dataDir.resolve("day"), "in the way");
        JsonLinesWriter writer = writer(SMALL);
        writer.start();
        send(writer, "day/events.jsonl", numbered(0));
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("lepapon_file_write_failures") >= 1);
        for (int i = 1; i < 20; i++) {
            send(writer, "day/events.jsonl", numbered(i));
        }
        // The held limit is 5 lines: 0 to 4 are kept, 5 to 19 dropped.
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("lepapon_file_lines_lost") == 15);
        assertThat(pending()).isEqualTo(5);

        Files.delete(dataDir.resolve("day"));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines("day/events.jsonl").size() == 5);
        send(writer, "day/events.jsonl", numbered(20));
        writer.stop();

        assertThat(lines("day/events.jsonl")).containsExactly(numbered(0), numbered(1), numbered(2), numbered(3),
                numbered(4), numbered(20));
        assertThat(counter("lepapon_file_lines_lost")).isEqualTo(15);
        assertThat(pending()).isZero();
        assertThat(errors()).first().asString()
                .contains(dataDir.resolve("day/events.jsonl").toString())
                .contains("is not a folder")
                .contains("1 lines wait in memory");
        assertThat(errors()).last().asString()
                .contains("works again")
                .contains("15 lines were dropped");
    }

    @Test
    void repeatedFailuresAreLoggedOncePerInterval() throws Exception {
        Files.writeString(dataDir.resolve("day"), "in the way");
        JsonLinesWriter writer = writer(SMALL);
        writer.start();
        send(writer, "day/events.jsonl", numbered(0));

        // Retries every 50 ms; the report interval is 10 s.
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("lepapon_file_write_failures") >= 10);
        assertThat(errors()).hasSize(1);
    }

    @Test
    void unwrittenLinesAreSavedAtStop() throws Exception {
        Files.writeString(dataDir.resolve("day"), "in the way");
        JsonLinesWriter writer = writer(SMALL);
        writer.start();
        send(writer, "day/events.jsonl", numbered(0));
        send(writer, "day/events.jsonl", numbered(1));
        writer.stop();

        List<String> saved = lines(JsonLinesWriterThread.UNWRITTEN_FILE);
        assertThat(saved).hasSize(2);
        for (int i = 0; i < 2; i++) {
            JsonNode line = EventJson.read(saved.get(i));
            assertThat(line.path("file").asText()).isEqualTo("day/events.jsonl");
            assertThat(line.path("line").asText()).isEqualTo(numbered(i));
        }
        assertThat(errors()).last().asString().contains("Stopped with 2 lines").contains("saved them to");
        assertThat(counter("lepapon_file_lines_lost")).isZero();
    }

    @Test
    void unsavableLinesAreLostAtStop() throws Exception {
        Path devFull = Path.of("/dev/full");
        Files.createSymbolicLink(dataDir.resolve("full.jsonl"), devFull);
        Files.createSymbolicLink(dataDir.resolve(JsonLinesWriterThread.UNWRITTEN_FILE), devFull);
        JsonLinesWriter writer = writer(SMALL);
        writer.start();
        send(writer, "full.jsonl", numbered(0));
        send(writer, "full.jsonl", numbered(1));
        send(writer, "full.jsonl", numbered(2));
        writer.stop();

        assertThat(counter("lepapon_file_lines_lost")).isEqualTo(3);
        assertThat(errors()).last().asString()
                .contains("Stopped with 3 lines")
                .contains("could not save 3 of them")
                .contains("No space left on device");
    }

    @Test
    void processBlocksWhileQueueIsFull() throws Exception {
        JsonLinesWriter.Limits twoLines = new JsonLinesWriter.Limits(2, 1024 * 1024, 100, 1024 * 1024, 4,
                Duration.ofMillis(50), Duration.ofSeconds(60), Duration.ofSeconds(10));
        JsonLinesWriter writer = writer(twoLines);
        // Not started yet: nothing takes lines from the queue.
        send(writer, "queue.jsonl", numbered(0));
        send(writer, "queue.jsonl", numbered(1));
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
            try {
                send(writer, "queue.jsonl", numbered(2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> third.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(pending()).isEqualTo(2);

        writer.start();
        third.get(5, TimeUnit.SECONDS);
        writer.stop();
        assertThat(lines("queue.jsonl")).containsExactly(numbered(0), numbered(1), numbered(2));
    }

    @Test
    void processFailsAfterStop() throws Exception {
        JsonLinesWriter writer = writer(JsonLinesWriter.Limits.DEFAULT);
        writer.start();
        writer.stop();

        assertThatThrownBy(() -> send(writer, "late.jsonl", numbered(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("late.jsonl");
    }

    @Test
    void idleFileIsClosed() throws Exception {
        JsonLinesWriter.Limits quickIdle = new JsonLinesWriter.Limits(64, 1024 * 1024, 100, 1024 * 1024, 4,
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(10));
        JsonLinesWriter writer = writer(quickIdle);
        writer.start();
        send(writer, "idle.jsonl", numbered(0));
        await().atMost(Duration.ofSeconds(5)).until(() -> lines("idle.jsonl").size() == 1);
        // The writer closes idle files at its once-a-second check. A file still open would take the next line
        // into the deleted file instead of a new one.
        Thread.sleep(2_500);
        Files.delete(dataDir.resolve("idle.jsonl"));
        send(writer, "idle.jsonl", numbered(1));
        writer.stop();

        assertThat(lines("idle.jsonl")).containsExactly(numbered(1));
    }

    @Test
    void fileNamesMustStayInDataFolder() {
        for (String name : new String[] {"", "/etc/passwd", "../up.jsonl", "day/../../up.jsonl", "day/./x.jsonl",
                "..", "day/", "nul\0.jsonl"}) {
            assertThatThrownBy(() -> JsonLinesWriter.checkFileName(name)).as("'%s'", name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (String name : new String[] {"x.jsonl", "2026-12-04/new_order.jsonl", "a..b/.hidden.jsonl"}) {
            JsonLinesWriter.checkFileName(name);
        }
    }
}
