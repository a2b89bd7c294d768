package br.com.lepapon.bridge.sinks;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.RecentOrders.OrderKey;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
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
 * The outbox keeps the position of each pending order's line, not its body: {@link #body} reads the body back from the
 * journal, so orders waiting for the webhook need not stay in memory. When the lines of finished orders outweigh the
 * rest, the journal is compacted: the remembered keys and the pending orders' lines are written to a temporary file,
 * forced, and renamed over the journal. At start the journal is read line by line; a line that is torn (the process
 * or the machine died while writing it) or otherwise unreadable is logged, copied to {@code damaged-lines.jsonl} next
 * to the journal, and skipped.
 */
final class WebhookOutbox implements Closeable {

    static final String FOLDER = "outbox";
    static final String JOURNAL = "webhook-outbox.jsonl";
    static final String DAMAGED = "damaged-lines.jsonl";
    static final String LOCK = "webhook-outbox.lock";
    /** Bytes of finished orders' lines that the journal may hold before it is compacted. */
    private static final long MIN_COMPACTION_BYTES = 4L * 1024 * 1024;
    /** Bytes handed to each write call at most. */
    private static final int IO_SLICE_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookOutbox.class);
    private static final JsonStringEncoder JSON_STRINGS = JsonStringEncoder.getInstance();

    private final Path journal;
    private final Clock clock;
    private final RecentOrders recentOrders;
    /** Orders added and not done with their journal positions, by webhook-id, in the order they were added. */
    private final LinkedHashMap<String, Line> pending = new LinkedHashMap<>();
    private final List<OutboxEntry> loaded;
    /** Channel that appends to the journal. */
    private volatile FileChannel channel;
    /** Channel that reads order lines back from the journal, guarded by {@code this} like {@link #pending}. */
    private FileChannel reader;
    private long journalBytes;
    /** Bytes of journal lines that a compaction would drop: finished orders and their done lines. */
    private long finishedBytes;
    /** Position and size of the last line appended, without the newline put before it after a failed write. */
    private long lastLineStart;
    private int lastLineBytes;
    private boolean lastAppendFailed;
    /** Number of the last line appended, counted from the opening; {@link #sync} forces up to a line number. */
    private volatile long appendedLines;
    /** Lines up to this number are on the disk, because a compaction forced them. */
    private volatile long compactedLines;
    private final Object syncLock = new Object();
    private long syncedLines;

    private final FileChannel lockChannel;

    /**
     * A pending order and the position of its {@code add} line in the journal.
     *
     * @param order  the order, without its body
     * @param start  the position of the line's first byte
     * @param length the line's size in bytes, its newline included
     */
    private record Line(OutboxEntry order, long start, int length) {
    }

    private WebhookOutbox(Path journal, FileChannel lockChannel, Clock clock, RecentOrders recentOrders,
            List<OutboxEntry> loaded) {
        this.journal = journal;
        this.lockChannel = lockChannel;
        this.clock = clock;
        this.recentOrders = recentOrders;
        this.loaded = loaded;
    }

    /**
     * Opens the outbox under the data folder, creating it when missing, locks it, reads the journal and compacts it.
     * The lock is held until {@link #close}, so two processes never share one journal.
     *
     * @throws OutboxLockedException when another process holds the outbox
     * @throws IOException           when the folder or the journal cannot be created, read or written, or the journal
     *                               is not a regular file
     */
    static WebhookOutbox open(Path dataDir, int maxKeys, Duration maxAge, Clock clock) throws IOException {
        Path folder = dataDir.resolve(FOLDER);
        Files.createDirectories(folder);
        FileChannel lockChannel = lock(folder.resolve(LOCK));
        try {
            Path journal = folder.resolve(JOURNAL);
            RecentOrders recentOrders = new RecentOrders(maxKeys, maxAge);
            JournalContent content = new JournalContent(recentOrders);
            FileChannel reader = null;
            if (Files.exists(journal, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
                    // A link, a device or a pipe could be endless or block forever, and compaction would replace it.
                    throw new IOException(journal + " is not a regular file; move it away and start again");
                }
                reader = FileChannel.open(journal, StandardOpenOption.READ);
                readJournal(journal, reader, content, clock);
            }
            WebhookOutbox outbox = new WebhookOutbox(journal, lockChannel, clock, recentOrders,
                    content.lines.values().stream().map(Line::order).toList());
            synchronized (outbox) {
                outbox.reader = reader;
                outbox.pending.putAll(content.lines);
                outbox.compact();
            }
            return outbox;
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
    }

    private static FileChannel lock(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                channel.close();
                throw new OutboxLockedException(lockFile);
            }
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new OutboxLockedException(lockFile);
        }
        return channel;
    }

    /** Another process, or another bridge in this one, holds the outbox's lock. */
    static final class OutboxLockedException extends IOException {

        OutboxLockedException(Path lockFile) {
            super("the outbox is in use by another running bridge or replay (" + lockFile + " is locked)");
        }
    }

    /**
     * Returns the orders found pending in the journal at opening, in the order they were accepted, without their
     * bodies: {@link #body} reads each when it is needed.
     */
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
        long line = append(entry.toJournalLine());
        pending.put(entry.webhookId(), new Line(entry.withoutBody(), lastLineStart, lastLineBytes));
        return line;
    }

    /**
     * Reads the request body of a pending order back from the journal.
     *
     * @throws IOException when the order is not pending, or its line cannot be read or is not the order's
     */
    synchronized byte[] body(String webhookId) throws IOException {
        Line line = pending.get(webhookId);
        if (line == null) {
            throw new IOException("order " + webhookId + " is not pending in the outbox");
        }
        ByteBuffer buffer = ByteBuffer.allocate(line.length());
        while (buffer.hasRemaining()) {
            if (reader.read(buffer, line.start() + buffer.position()) < 0) {
                throw new IOException("the journal ends before the line of order " + webhookId);
            }
        }
        JournalLineFields fields;
        try {
            fields = JournalLineFields.read(buffer.array());
        } catch (IOException e) {
            throw new IOException("the journal line of order " + webhookId + " at byte " + line.start()
                    + " is not valid JSON", e);
        }
        if (!webhookId.equals(fields.optional("webhookId")) || !fields.hasBody()) {
            throw new IOException("the journal line at byte " + line.start() + " is not the order " + webhookId);
        }
        return Arrays.copyOfRange(buffer.array(), fields.bodyStart(), fields.bodyEnd());
    }

    /** Remembers the key of an order that is not kept in the outbox, such as one sent straight to a dead letter. */
    synchronized void remember(OrderKey key, Instant acceptedAt) throws IOException {
        recentOrders.add(key, acceptedAt);
        append(seenLine(key, acceptedAt));
    }

    /** Marks an order as finished (delivered or dead-lettered), and compacts the journal when that is worth it. */
    synchronized void done(String webhookId) throws IOException {
        Line added = pending.remove(webhookId);
        if (added == null) {
            return;
        }
        ObjectNode line = EventJson.object();
        line.put("op", "done");
        line.put("webhookId", webhookId);
        append(line);
        finishedBytes += lastLineBytes + added.length();
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
        try {
            if (channel != null) {
                channel.force(false);
                channel.close();
            }
        } finally {
            try {
                if (reader != null) {
                    reader.close();
                }
            } finally {
                lockChannel.close();
            }
        }
    }

    private long append(ObjectNode json) throws IOException {
        byte[] text = EventJson.compactBytes(json);
        byte[] line = Arrays.copyOf(text, text.length + 1);
        line[text.length] = '\n';
        return append(line);
    }

    /** Appends a line given in UTF-8 with its newline. */
    private long append(byte[] line) throws IOException {
        boolean afterFailure = lastAppendFailed;
        lastAppendFailed = true;
        // After a failed write the file may contain part of a line that journalBytes does not count.
        long start = afterFailure ? channel.size() : journalBytes;
        int newline = afterFailure ? 1 : 0;
        if (afterFailure) {
            // A failed write may have left part of a line, so this one starts on a new line to stay readable.
            writeSlices(channel, new byte[] {'\n'});
        }
        writeSlices(channel, line);
        lastAppendFailed = false;
        journalBytes = start + newline + line.length;
        lastLineStart = start + newline;
        lastLineBytes = line.length;
        appendedLines++;
        return appendedLines;
    }

    /**
     * Rewrites the journal with only the remembered keys of finished orders and the pending orders' lines, copied as
     * they are from the current journal.
     */
    private void compact() throws IOException {
        Path temporary = journal.resolveSibling(JOURNAL + ".tmp");
        Set<OrderKey> pendingKeys = new HashSet<>();
        for (Line line : pending.values()) {
            pendingKeys.add(line.order().key());
        }
        Map<String, Line> moved = new LinkedHashMap<>();
        long written = 0;
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            for (Map.Entry<OrderKey, Instant> key : recentOrders.entries(clock.instant()).entrySet()) {
                if (!pendingKeys.contains(key.getKey())) {
                    appendSeenLine(text, key.getKey(), key.getValue());
                    if (text.length() >= IO_SLICE_BYTES) {
                        written += write(out, text);
                    }
                }
            }
            written += write(out, text);
            for (Map.Entry<String, Line> entry : pending.entrySet()) {
                Line line = entry.getValue();
                copy(line, out);
                moved.put(entry.getKey(), new Line(line.order(), written, line.length()));
                written += line.length();
            }
            out.force(true);
        }

        FileChannel previous = channel;
        FileChannel previousReader = reader;
        try {
            Files.move(temporary, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, journal, StandardCopyOption.REPLACE_EXISTING);
        }
        // The journal is the new file from here, so the positions are updated before anything else can fail.
        pending.putAll(moved);
        journalBytes = written;
        finishedBytes = 0;
        lastAppendFailed = false;
        forceFolder(journal.getParent());
        channel = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        reader = FileChannel.open(journal, StandardOpenOption.READ);
        compactedLines = appendedLines;
        closeQuietly(previous);
        closeQuietly(previousReader);
    }

    /** Writes the text in slices and empties it. Returns the number of bytes written. */
    private static long write(FileChannel out, StringBuilder text) throws IOException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        writeSlices(out, bytes);
        return bytes.length;
    }

    /**
     * Writes all the bytes. Java copies a heap buffer that it writes to a file into a temporary direct buffer of the
     * same size and keeps that buffer for the thread, so slices keep it small.
     */
    private static void writeSlices(FileChannel out, byte[] bytes) throws IOException {
        for (int offset = 0; offset < bytes.length; offset += IO_SLICE_BYTES) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, Math.min(IO_SLICE_BYTES, bytes.length - offset));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }

    /** Copies a pending order's line from the current journal to the end of {@code out}. */
    private void copy(Line line, FileChannel out) throws IOException {
        long copied = 0;
        while (copied < line.length()) {
            long count = reader.transferTo(line.start() + copied, line.length() - copied, out);
            if (count <= 0) {
                throw new IOException("the journal ends before a pending order's line at byte " + line.start());
            }
            copied += count;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Could not close a replaced journal channel: {}", e.toString());
        }
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
        if (!EventJson.isWellFormed(key.sessionId()) || !EventJson.isWellFormed(key.orderId())) {
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

    static ObjectNode seenLine(OrderKey key, Instant acceptedAt) {
        ObjectNode line = EventJson.object();
        line.put("op", "seen");
        line.put("sessionId", key.sessionId());
        line.put("orderId", key.orderId());
        line.put("acceptedAt", acceptedAt.toString());
        return line;
    }

    /** Contents of the journal read at opening: the remembered keys, and the pending orders with their lines. */
    private static final class JournalContent {

        final RecentOrders recentOrders;
        /** Pending orders and their lines, by webhook-id, in the order they were added. */
        final LinkedHashMap<String, Line> lines = new LinkedHashMap<>();

        JournalContent(RecentOrders recentOrders) {
            this.recentOrders = recentOrders;
        }
    }

    /** Reads the journal a block at a time, so that its size does not matter to the heap, and applies each line. */
    private static void readJournal(Path journal, FileChannel in, JournalContent content, Clock clock)
            throws IOException {
        List<String> damaged = new ArrayList<>();
        ByteBuffer block = ByteBuffer.allocate(IO_SLICE_BYTES);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long position = 0;
        long lineStart = 0;
        int number = 0;
        while (true) {
            block.clear();
            int read = in.read(block, position);
            if (read < 0) {
                break;
            }
            byte[] bytes = block.array();
            int from = 0;
            for (int i = 0; i < read; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, from, i - from);
                    number++;
                    long next = position + i + 1;
                    readLine(journal, line, lineStart, (int) (next - lineStart), number, false, content, damaged,
                            clock);
                    line.reset();
                    lineStart = next;
                    from = i + 1;
                }
            }
            line.write(bytes, from, read - from);
            position += read;
        }
        if (line.size() > 0) {
            readLine(journal, line, lineStart, line.size(), number + 1, true, content, damaged, clock);
        }
        if (!damaged.isEmpty()) {
            Files.writeString(journal.resolveSibling(DAMAGED), String.join("", damaged), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        if (!content.lines.isEmpty()) {
            LOG.info("Outbox holds {} orders not yet delivered; delivering them in the order they were accepted",
                    content.lines.size());
        }
    }

    private static void readLine(Path journal, ByteArrayOutputStream bytes, long start, int length, int number,
            boolean torn, JournalContent content, List<String> damaged, Clock clock) {
        byte[] raw = bytes.toByteArray();
        if (isBlank(raw)) {
            return;
        }
        String problem = torn ? "incomplete (no newline at the end of the journal)" : apply(raw, start, length, content);
        if (problem != null) {
            String text = decode(raw);
            LOG.error("Outbox journal {} line {} is {}; skipped it and kept its text in {}", journal, number, problem,
                    DAMAGED);
            damaged.add(EventJson.line(damagedLine(journal, number, problem, text, clock)));
        }
    }

    /** Applies one journal line, returning null, or what is wrong with the line. */
    private static String apply(byte[] raw, long start, int length, JournalContent content) {
        JournalLineFields fields;
        try {
            fields = JournalLineFields.read(raw);
        } catch (IOException e) {
            return "not valid JSON";
        }
        String op = fields.texts().getOrDefault("op", "");
        try {
            switch (op) {
                case "add" -> {
                    OutboxEntry entry = OutboxEntry.fromJournalLine(fields);
                    if (entry.key() != null) {
                        content.recentOrders.add(entry.key(), entry.acceptedAt());
                    }
                    content.lines.put(entry.webhookId(), new Line(entry, start, length));
                }
                case "done" -> {
                    String webhookId = fields.required("webhookId");
                    content.lines.remove(webhookId);
                }
                case "seen" -> content.recentOrders.add(
                        new OrderKey(fields.required("sessionId"), fields.required("orderId")),
                        Instant.parse(fields.required("acceptedAt")));
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

    private static boolean isBlank(byte[] bytes) {
        for (byte value : bytes) {
            if (value != ' ' && value != '\t' && value != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Decodes UTF-8, replacing bytes cut in the middle of a character so a torn line can still be shown. */
    private static String decode(byte[] content) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("A replacing decoder cannot fail", e);
        }
    }
}
