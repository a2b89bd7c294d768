package br.com.lepapon.bridge.sinks;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.RecentOrders.OrderKey;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook's durable outbox: a journal of JSON lines in {@code <data-dir>/outbox/webhook-outbox.jsonl}.
 * <ul>
 * <li>{@code {"op":"add",...}} contains an order's webhook-id, acceptance time, session, order id and request body. It
 * is appended when the order is accepted, and {@link #sync} forces it to the disk before the first attempt.</li>
 * <li>{@code {"op":"done","webhookId":...}} follows after a 2xx or a dead letter.</li>
 * <li>{@code {"op":"seen",...}} keeps a de-duplication key of an order that is done.</li>
 * </ul>
 * When the lines of finished orders outweigh the rest, the journal is compacted: the pending orders and the
 * remembered keys are written to a temporary file, forced, and renamed over the journal. At start a line that is
 * torn (the process or the machine died while writing it) or otherwise unreadable is logged, copied to
 * {@code damaged-lines.jsonl} next to the journal, and skipped.
 */
final class WebhookOutbox implements Closeable {

    static final String FOLDER = "outbox";
    static final String JOURNAL = "webhook-outbox.jsonl";
    static final String DAMAGED = "damaged-lines.jsonl";
    /** Bytes of finished orders' lines that the journal may hold before it is compacted. */
    private static final long MIN_COMPACTION_BYTES = 4L * 1024 * 1024;
    /** Bytes a compaction hands to each write call. */
    private static final int COMPACTION_WRITE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookOutbox.class);
    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();

    private final Path journal;
    private final Clock clock;
    private final RecentOrders recentOrders;
    /** Orders added and not done, in the order they were added. */
    private final LinkedHashMap<String, OutboxEntry> pending = new LinkedHashMap<>();
    /** Size of each pending order's journal line, by webhook-id. */
    private final Map<String, Integer> lineBytes = new HashMap<>();
    private final List<OutboxEntry> loaded;
    private volatile FileChannel channel;
    private long journalBytes;
    /** Bytes of journal lines that a compaction would drop: finished orders and their done lines. */
    private long finishedBytes;
    private int lastLineBytes;
    private boolean lastAppendFailed;
    /** Number of the last line appended, counted from the opening; {@link #sync} forces up to a line number. */
    private volatile long appendedLines;
    /** Lines up to this number are on the disk, because a compaction forced them. */
    private volatile long compactedLines;
    private final Object syncLock = new Object();
    private long syncedLines;

    private WebhookOutbox(Path journal, Clock clock, RecentOrders recentOrders, List<OutboxEntry> loaded) {
        this.journal = journal;
        this.clock = clock;
        this.recentOrders = recentOrders;
        this.loaded = loaded;
    }

    /**
     * Opens the outbox under the data folder, creating it when missing, reads the journal and compacts it.
     *
     * @throws IOException when the folder or the journal cannot be created, read or written
     */
    static WebhookOutbox open(Path dataDir, int maxKeys, Duration maxAge, Clock clock) throws IOException {
        Path folder = dataDir.resolve(FOLDER);
        Files.createDirectories(folder);
        Path journal = folder.resolve(JOURNAL);
        RecentOrders recentOrders = new RecentOrders(maxKeys, maxAge);
        LinkedHashMap<String, OutboxEntry> pending = new LinkedHashMap<>();
        if (Files.exists(journal)) {
            readJournal(journal, recentOrders, pending, clock);
        }
        WebhookOutbox outbox = new WebhookOutbox(journal, clock, recentOrders, new ArrayList<>(pending.values()));
        synchronized (outbox) {
            outbox.pending.putAll(pending);
            outbox.compact();
        }
        return outbox;
    }

    /** Returns the orders found pending in the journal at opening, in the order they were accepted. */
    List<OutboxEntry> loaded() {
        return loaded;
    }

    synchronized int pendingCount() {
        return pending.size();
    }

    /** Returns when an order with this key was accepted, or null when it was not, within the de-duplication bounds. */
    synchronized Instant acceptedAt(OrderKey key) {
        return recentOrders.acceptedAt(key, clock.instant());
    }

    /**
     * Appends an order and remembers its key. The line reaches the operating system before this returns, so it
     * survives the process being killed; {@link #sync} makes it survive a power cut.
     *
     * @return the line number to pass to {@link #sync}
     */
    synchronized long add(OutboxEntry entry) throws IOException {
        if (entry.key() != null) {
            recentOrders.add(entry.key(), entry.acceptedAt());
        }
        pending.put(entry.webhookId(), entry);
        long line = append(entry.toJournalLine());
        lineBytes.put(entry.webhookId(), lastLineBytes);
        return line;
    }

    /** Remembers the key of an order that is not kept in the outbox, such as one sent straight to a dead letter. */
    synchronized void remember(OrderKey key, Instant acceptedAt) throws IOException {
        recentOrders.add(key, acceptedAt);
        append(seenLine(key, acceptedAt));
    }

    /** Marks an order as finished (delivered or dead-lettered), and compacts the journal when that is worth it. */
    synchronized void done(String webhookId) throws IOException {
        if (pending.remove(webhookId) == null) {
            return;
        }
        ObjectNode line = EventJson.object();
        line.put("op", "done");
        line.put("webhookId", webhookId);
        append(line);
        Integer added = lineBytes.remove(webhookId);
        finishedBytes += lastLineBytes + (added == null ? 0 : added);
        if (finishedBytes > Math.max(MIN_COMPACTION_BYTES, journalBytes / 2)) {
            compact();
        }
    }

    /** Forces the journal to the disk up to the given line, unless that already happened. */
    void sync(long line) throws IOException {
        synchronized (syncLock) {
            if (line <= syncedLines || line <= compactedLines) {
                return;
            }
            long target = appendedLines;
            try {
                channel.force(false);
            } catch (ClosedChannelException e) {
                // A compaction replaced the file after forcing everything up to compactedLines.
                if (line > compactedLines) {
                    throw e;
                }
            }
            syncedLines = Math.max(syncedLines, target);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.force(false);
            channel.close();
        }
    }

    private long append(ObjectNode json) throws IOException {
        String text = EventJson.line(json);
        if (lastAppendFailed) {
            // A failed write may have left part of a line; start on a new line so that this one stays readable.
            text = "\n" + text;
        }
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text);
        int size = bytes.remaining();
        lastAppendFailed = true;
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        lastAppendFailed = false;
        journalBytes += size;
        lastLineBytes = size;
        appendedLines++;
        return appendedLines;
    }

    /** Rewrites the journal with only the pending orders and the remembered keys of finished ones. */
    private void compact() throws IOException {
        Path temporary = journal.resolveSibling(JOURNAL + ".tmp");
        StringBuilder text = new StringBuilder();
        Set<OrderKey> pendingKeys = new HashSet<>();
        for (OutboxEntry entry : pending.values()) {
            pendingKeys.add(entry.key());
        }
        for (Map.Entry<OrderKey, Instant> key : recentOrders.entries(clock.instant()).entrySet()) {
            if (!pendingKeys.contains(key.getKey())) {
                appendSeenLine(text, key.getKey(), key.getValue());
            }
        }
        for (OutboxEntry entry : pending.values()) {
            String line = EventJson.line(entry.toJournalLine());
            text.append(line);
            lineBytes.put(entry.webhookId(), line.getBytes(StandardCharsets.UTF_8).length);
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            // Java copies a heap buffer that it writes to a file into a temporary direct buffer of the same size and
            // keeps that buffer for the thread. Slices keep it small: a compacted journal can take megabytes.
            for (int offset = 0; offset < bytes.length; offset += COMPACTION_WRITE_BYTES) {
                int length = Math.min(COMPACTION_WRITE_BYTES, bytes.length - offset);
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
            }
            out.force(true);
        }

        FileChannel previous = channel;
        try {
            Files.move(temporary, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, journal, StandardCopyOption.REPLACE_EXISTING);
        }
        forceFolder(journal.getParent());
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        compactedLines = appendedLines;
        if (previous != null) {
            previous.close();
        }
        journalBytes = bytes.length;
        finishedBytes = 0;
    }

    /** Forces the folder's entry for a renamed file to the disk; some file systems do not allow this, which is fine. */
    private static void forceFolder(Path folder) {
        try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.debug("Could not force folder {} to the disk: {}", folder, e.toString());
        }
    }

    /**
     * Appends the line that {@link #seenLine} gives, newline included. A compaction writes one per remembered key, up
     * to {@code WEBHOOK_DEDUP_MAX_KEYS}, while it holds the outbox's lock. The line is built as text, because a JSON
     * tree serialised per key made a compaction of 100,000 keys hold the lock for 79 ms on average.
     */
    static void appendSeenLine(StringBuilder text, OrderKey key, Instant acceptedAt) {
        if (hasLoneSurrogate(key.sessionId()) || hasLoneSurrogate(key.orderId())) {
            // EventJson escapes such text as ASCII so that UTF-8 can encode it.
            text.append(EventJson.line(seenLine(key, acceptedAt)));
            return;
        }
        text.append("{\"op\":\"seen\",\"sessionId\":\"");
        JSON_STRINGS.quoteAsString(key.sessionId(), text);
        text.append("\",\"orderId\":\"");
        JSON_STRINGS.quoteAsString(key.orderId(), text);
        text.append("\",\"acceptedAt\":\"").append(acceptedAt).append("\"}\n");
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static ObjectNode seenLine(OrderKey key, Instant acceptedAt) {
        ObjectNode line = EventJson.object();
        line.put("op", "seen");
        line.put("sessionId", key.sessionId());
        line.put("orderId", key.orderId());
        line.put("acceptedAt", acceptedAt.toString());
        return line;
    }

    private static void readJournal(Path journal, RecentOrders recentOrders, Map<String, OutboxEntry> pending,
            Clock clock) throws IOException {
        byte[] content = Files.readAllBytes(journal);
        List<String> damaged = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            boolean torn = end < 0;
            int stop = torn ? content.length : end;
            number++;
            String text = decode(content, start, stop - start);
            start = stop + 1;
            if (text.isBlank()) {
                continue;
            }
            String problem = torn ? "incomplete (no newline at the end of the journal)" : readLine(text, recentOrders, pending);
            if (problem != null) {
                LOG.error("Outbox journal {} line {} is {}; skipped it and kept its text in {}", journal, number,
                        problem, DAMAGED);
                damaged.add(EventJson.line(damagedLine(journal, number, problem, text, clock)));
            }
        }
        if (!damaged.isEmpty()) {
            Files.writeString(journal.resolveSibling(DAMAGED), String.join("", damaged), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (!pending.isEmpty()) {
            LOG.info("Outbox holds {} orders not yet delivered; delivering them in the order they were accepted",
                    pending.size());
        }
    }

    /** Applies one journal line, returning null, or what is wrong with the line. */
    private static String readLine(String text, RecentOrders recentOrders, Map<String, OutboxEntry> pending) {
        JsonNode json;
        try {
            json = EventJson.read(text);
        } catch (IOException e) {
            return "not valid JSON";
        }
        String op = json.path("op").asText();
        try {
            switch (op) {
                case "add" -> {
                    OutboxEntry entry = OutboxEntry.fromJournalLine(json);
                    if (entry.key() != null) {
                        recentOrders.add(entry.key(), entry.acceptedAt());
                    }
                    pending.put(entry.webhookId(), entry);
                }
                case "done" -> pending.remove(OutboxEntry.requiredText(json, "webhookId"));
                case "seen" -> recentOrders.add(
                        new OrderKey(OutboxEntry.requiredText(json, "sessionId"),
                                OutboxEntry.requiredText(json, "orderId")),
                        Instant.parse(OutboxEntry.requiredText(json, "acceptedAt")));
                default -> {
                    return "of an unknown kind (op '" + op + "')";
                }
            }
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return "missing a field or has an invalid value (" + e.getMessage() + ")";
        }
        return null;
    }

    private static ObjectNode damagedLine(Path journal, int number, String problem, String text, Clock clock) {
        ObjectNode line = EventJson.object();
        line.put("foundAt", clock.instant().toString());
        line.put("journal", journal.toString());
        line.put("line", number);
        line.put("problem", problem);
        line.put("text", text);
        return line;
    }

    private static int indexOf(byte[] content, byte value, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == value) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes UTF-8, replacing bytes cut in the middle of a character so a torn line can still be shown. */
    private static String decode(byte[] content, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(content, offset, length))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("A replacing decoder cannot fail", e);
        }
    }
}
