package br.com.lepapon.bridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.RecentOrders.OrderKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookOutboxTest {

    private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");

    @TempDir
    Path dataDir;

    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private WebhookOutbox open() throws Exception {
        return WebhookOutbox.open(dataDir, 1000, Duration.ofHours(1), clock);
    }

    private static OutboxEntry entry(String id, String session, String orderId) {
        return entry(id, session, orderId, "");
    }

    private static OutboxEntry entry(String id, String session, String orderId, String items) {
        ObjectNode body = EventJson.object();
        body.put("orderId", orderId);
        body.put("sessionId", session);
        if (!items.isEmpty()) {
            body.put("items", items);
        }
        return OutboxEntry.of(id, NOW, session, orderId == null ? null : new OrderKey(session, orderId), body);
    }

    private Path journal() {
        return dataDir.resolve("outbox").resolve("webhook-outbox.jsonl");
    }

    private static List<String> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::webhookId).toList();
    }

    @Test
    void pendingOrdersSurviveReopeningInOrder() throws Exception {
        try (WebhookOutbox outbox = open()) {
            for (int i = 1; i <= 5; i++) {
                outbox.add(entry("msg_" + i, "5511900000001", Integer.toString(i)));
            }
            outbox.done("msg_2");
            outbox.done("msg_4");
        }

        try (WebhookOutbox reopened = open()) {
            assertThat(ids(reopened.loaded())).containsExactly("msg_1", "msg_3", "msg_5");
            assertThat(reopened.loaded()).allMatch(entry -> entry.body() == null);
            assertThat(OutboxEntry.bodyTree(reopened.body("msg_3")).path("orderId").asText()).isEqualTo("3");
            assertThat(reopened.loaded().get(1).acceptedAt()).isEqualTo(NOW);
            assertThat(reopened.pendingCount()).isEqualTo(3);
        }
    }

    @Test
    void acceptedKeysSurviveReopeningAndCompaction() throws Exception {
        try (WebhookOutbox outbox = open()) {
            outbox.add(entry("msg_1", "5511900000001", "10"));
            outbox.done("msg_1");
            outbox.remember(new OrderKey("5511900000002", "20"), NOW);
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(reopened.loaded()).isEmpty();
            assertThat(reopened.acceptedAt(new OrderKey("5511900000001", "10"))).isEqualTo(NOW);
            assertThat(reopened.acceptedAt(new OrderKey("5511900000002", "20"))).isEqualTo(NOW);
            assertThat(reopened.acceptedAt(new OrderKey("5511900000001", "20"))).isNull();
        }
        // Opening compacted the journal: the done order left only its key.
        List<String> lines = Files.readAllLines(journal());
        assertThat(lines).hasSize(2);
        assertThat(lines).allMatch(line -> line.contains("\"op\":\"seen\""));
    }

    @Test
    void keysExpireByAgeAndCount() throws Exception {
        try (WebhookOutbox outbox = WebhookOutbox.open(dataDir, 2, Duration.ofHours(1), clock)) {
            outbox.remember(new OrderKey("s", "1"), NOW.minus(Duration.ofHours(2)));
            outbox.remember(new OrderKey("s", "2"), NOW);
            outbox.remember(new OrderKey("s", "3"), NOW);
            outbox.remember(new OrderKey("s", "4"), NOW);
            assertThat(outbox.acceptedAt(new OrderKey("s", "1"))).isNull();
            assertThat(outbox.acceptedAt(new OrderKey("s", "2"))).isNull();
            assertThat(outbox.acceptedAt(new OrderKey("s", "3"))).isEqualTo(NOW);
            assertThat(outbox.acceptedAt(new OrderKey("s", "4"))).isEqualTo(NOW);
        }
        clock = Clock.fixed(NOW.plus(Duration.ofMinutes(61)), ZoneOffset.UTC);
        try (WebhookOutbox later = open()) {
            assertThat(later.acceptedAt(new OrderKey("s", "4"))).isNull();
        }
    }

    @Test
    void tornLastLineIsReportedAndKeptApart() throws Exception {
        try (WebhookOutbox outbox = open()) {
            outbox.add(entry("msg_1", "5511900000001", "1"));
            outbox.add(entry("msg_2", "5511900000002", "2"));
        }
        String torn = "{\"op\":\"add\",\"webhookId\":\"msg_3\",\"acceptedAt\":\"2026-12-04T18:00:00Z\",\"body\":{\"ord";
        Files.writeString(journal(), torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (WebhookOutbox reopened = open()) {
            assertThat(ids(reopened.loaded())).containsExactly("msg_1", "msg_2");
        }
        List<String> damaged = Files.readAllLines(dataDir.resolve("outbox").resolve("damaged-lines.jsonl"));
        assertThat(damaged).hasSize(1);
        JsonNode record = EventJson.read(damaged.get(0));
        assertThat(record.path("line").asInt()).isEqualTo(3);
        assertThat(record.path("problem").asText()).startsWith("incomplete");
        assertThat(record.path("text").asText()).isEqualTo(torn);
        assertThat(Files.readString(journal())).doesNotContain("msg_3").endsWith("\n");
    }

    @Test
    void damagedMiddleLinesAreSkipped() throws Exception {
        Files.createDirectories(journal().getParent());
        String good1 = new String(entry("msg_1", "a", "1").toJournalLine(), StandardCharsets.UTF_8);
        String good2 = new String(entry("msg_2", "b", "2").toJournalLine(), StandardCharsets.UTF_8);
        String headerBreak = good1.replace("msg_1", "msg_3\\r\\nX-Extra: 1");
        Files.writeString(journal(), good1 + "{\"op\":\"add\",\"webhookId\":\"msg_x\"}\n" + "garbage\n" + headerBreak
                + good2);

        try (WebhookOutbox outbox = open()) {
            assertThat(ids(outbox.loaded())).containsExactly("msg_1", "msg_2");
        }
        assertThat(Files.readAllLines(dataDir.resolve("outbox").resolve("damaged-lines.jsonl"))).hasSize(3);
    }

    @Test
    void orderWithoutOrderIdHasNoKey() throws Exception {
        try (WebhookOutbox outbox = open()) {
            outbox.add(entry("msg_1", "5511900000001", null));
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(reopened.loaded()).hasSize(1);
            assertThat(reopened.loaded().get(0).key()).isNull();
        }
    }

    @Test
    void syncAfterCompactionSucceeds() throws Exception {
        try (WebhookOutbox outbox = open()) {
            long line = outbox.add(entry("msg_1", "s", "1"));
            outbox.sync(line);
            long next = outbox.add(entry("msg_2", "s", "2"));
            outbox.sync(next);
            outbox.sync(line);
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(ids(reopened.loaded())).containsExactly("msg_1", "msg_2");
        }
    }

    @Test
    void journalIsCompactedWhileRunning() throws Exception {
        String items = "x".repeat(100_000);
        try (WebhookOutbox outbox = open()) {
            for (int i = 0; i < 60; i++) {
                outbox.add(entry("msg_" + i, "s", Integer.toString(i), items));
            }
            for (int i = 0; i < 59; i++) {
                outbox.done("msg_" + i);
            }
            // 6 MB of orders were appended. Compaction dropped the finished ones once they passed 4 MiB, so fewer
            // than 2 MB of lines remain.
            assertThat(Files.size(journal())).isLessThan(2_000_000);
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(ids(reopened.loaded())).containsExactly("msg_59");
            assertThat(reopened.body("msg_59")).isEqualTo(entry("msg_59", "s", "59", items).body());
            assertThat(reopened.acceptedAt(new OrderKey("s", "3"))).isEqualTo(NOW);
        }
    }

    @Test
    void bodiesReadBackAfterCompaction() throws Exception {
        String items = "y".repeat(70_000);
        List<OutboxEntry> added = new java.util.ArrayList<>();
        try (WebhookOutbox outbox = open()) {
            for (int i = 0; i < 200; i++) {
                String text = i % 5 == 1 ? "São 🍔" : items;
                OutboxEntry entry = entry("msg_" + i, "s" + i % 3, Integer.toString(i), text);
                added.add(entry);
                outbox.add(entry);
                outbox.remember(new OrderKey("other", Integer.toString(i)), NOW);
                // Every fourth order stays pending; the others finish, so the journal is compacted several times.
                if (i % 4 != 0) {
                    outbox.done(entry.webhookId());
                }
                for (int j = 0; j <= i; j += 4) {
                    assertThat(outbox.body("msg_" + j)).as("body of msg_%d after adding msg_%d", j, i)
                            .isEqualTo(added.get(j).body());
                }
            }
            assertThatThrownBy(() -> outbox.body("msg_1")).isInstanceOf(java.io.IOException.class)
                    .hasMessageContaining("not pending");
            // About 11 MB were appended; compactions kept the pending orders' lines and dropped the others.
            assertThat(Files.size(journal())).isLessThan(8_000_000L);
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(reopened.loaded()).hasSize(50).allMatch(entry -> entry.body() == null);
            for (OutboxEntry entry : reopened.loaded()) {
                int i = Integer.parseInt(entry.webhookId().substring(4));
                assertThat(reopened.body(entry.webhookId())).isEqualTo(added.get(i).body());
                assertThat(entry.key()).isEqualTo(added.get(i).key());
            }
            assertThat(reopened.acceptedAt(new OrderKey("other", "199"))).isEqualTo(NOW);
        }
    }

    @Test
    void secondOpenOfOneFolderIsRejected() throws Exception {
        try (WebhookOutbox outbox = open()) {
            assertThatThrownBy(this::open).isInstanceOf(WebhookOutbox.OutboxLockedException.class)
                    .hasMessageContaining("in use by another running bridge");
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(reopened.loaded()).isEmpty();
        }
    }

    @Test
    void journalThatIsNotARegularFileIsRejected() throws Exception {
        Files.createDirectories(journal().getParent());
        Files.createSymbolicLink(journal(), Path.of("/dev/full"));

        assertThatThrownBy(this::open).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("is not a regular file");
        assertThat(Files.isSymbolicLink(journal())).isTrue();
        // The lock was released, so the outbox opens once the link is gone.
        Files.delete(journal());
        try (WebhookOutbox outbox = open()) {
            assertThat(outbox.loaded()).isEmpty();
        }
    }

    @Test
    void seenLineTextMatchesJsonTree() {
        Instant acceptedAt = Instant.parse("2026-12-04T13:01:02.123456Z");
        List<OrderKey> keys = List.of(new OrderKey("5511900000001", "789"), new OrderKey("", "A-1042"),
                new OrderKey("quote \" backslash \\ slash /", "tab\tnewline\ncontrol\u0001\u001f\u007f"),
                new OrderKey("São João 🍔", "\u2028\u2029"), new OrderKey("lone \ud83d", "also lone \udc00 end"));
        for (OrderKey key : keys) {
            StringBuilder text = new StringBuilder();
            WebhookOutbox.appendSeenLine(text, key, acceptedAt);
            assertThat(text.toString()).as("%s", key)
                    .isEqualTo(EventJson.line(WebhookOutbox.seenLine(key, acceptedAt)));
        }
    }

    @Test
    void deepBodyIsReadBack() throws Exception {
        ObjectNode body = EventJson.object();
        com.fasterxml.jackson.databind.node.ArrayNode list = body.putArray("items");
        for (int level = 0; level < 500; level++) {
            list = list.addArray();
        }
        OutboxEntry entry = OutboxEntry.of("msg_deep", NOW, "s", new OrderKey("s", "1"), body);
        try (WebhookOutbox outbox = open()) {
            outbox.add(entry);
        }
        try (WebhookOutbox reopened = open()) {
            assertThat(ids(reopened.loaded())).containsExactly("msg_deep");
            assertThat(reopened.body("msg_deep")).isEqualTo(entry.body());
        }
    }

}
