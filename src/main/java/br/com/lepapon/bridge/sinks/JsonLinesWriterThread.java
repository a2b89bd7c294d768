package br.com.lepapon.bridge.sinks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import br.com.lepapon.bridge.sinks.JsonLinesWriter.Limits;
import br.com.lepapon.bridge.sinks.LineQueue.QueuedLine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The one thread of a {@link JsonLinesWriter} that owns the files. Each round it takes every queued line and
 * appends the lines of each file with as few write calls as the {@value #WRITE_BUFFER_BYTES}-byte buffer allows.
 * After an idle wait, the first line starts a round at once, so a line at a low rate is written without delay.
 * After a round that wrote lines, the next round starts {@value #LINGER_MICROS} µs later, or once the queue is half
 * full, so at a high rate each write call carries many lines.
 *
 * <p>When a file cannot be written, its lines are held in memory, in order, and retried every
 * {@link Limits#retryInterval}; new lines for it join them. Past {@link Limits#heldLines} or
 * {@link Limits#heldBytes} held in all, new lines for failing files are dropped and counted as lost. Each failing
 * file gets an ERROR line at its first failure and then at most one per {@link Limits#reportInterval}, with
 * counts, and an INFO line when it works again.
 */
final class JsonLinesWriterThread {

    static final String UNWRITTEN_FILE = "unwritten-lines.jsonl";
    static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private static final long MAINTENANCE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long lines may accumulate after a round that wrote lines; it bounds the delay this adds to a line. */
    static final long LINGER_MICROS = 1_000;
    /** How long stopping waits for the last writes, so a hung disk cannot hold up the stop for long. */
    private static final long STOP_WAIT_MILLIS = 3_000;
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesWriter.class);

    private final Path dataDir;
    private final ZoneId zone;
    private final BridgeMetrics metrics;
    private final Limits limits;
    private final LineQueue queue;
    private final Thread thread;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES);

    // Used only on the writer thread.
    private final Map<String, JsonLinesFile> files = new HashMap<>();
    private final Set<JsonLinesFile> openFiles = new LinkedHashSet<>();
    private final List<JsonLinesFile> dirty = new ArrayList<>();
    private final Set<JsonLinesFile> failing = new LinkedHashSet<>();
    private String lastName;
    private JsonLinesFile lastFile;
    private LocalDate day;
    private long nextMaintenanceNanos;
    private long heldLines;
    private long heldBytes;
    /** {@link #heldLines} as of the end of the last round, for the metrics gauge. */
    private volatile long publishedHeldLines;

    JsonLinesWriterThread(Path dataDir, ZoneId zone, BridgeMetrics metrics, Limits limits, LineQueue queue) {
        this.dataDir = dataDir;
        this.zone = zone;
        this.metrics = metrics;
        this.limits = limits;
        this.queue = queue;
        this.thread = new Thread(this::run, "json-lines-writer");
        // A disk that hangs must not keep the JVM alive after stop() has given up on it.
        this.thread.setDaemon(true);
    }

    ZoneId zone() {
        return zone;
    }

    void start(LocalDate today) {
        day = today;
        nextMaintenanceNanos = System.nanoTime() + MAINTENANCE_NANOS;
        thread.start();
    }

    /** Waits for the thread to finish after the queue was closed. */
    void awaitEnd() throws InterruptedException {
        if (thread.getState() == Thread.State.NEW) {
            return;
        }
        thread.join(STOP_WAIT_MILLIS);
        if (thread.isAlive()) {
            LOG.error("The JSON Lines writer did not finish its last writes within {} ms; {} lines may not have"
                    + " been written", STOP_WAIT_MILLIS, queue.size() + publishedHeldLines);
        }
    }

    /** Returns the lines taken from the queue and not yet written. */
    long heldLines() {
        return publishedHeldLines;
    }

    private void run() {
        ArrayDeque<QueuedLine> spare = new ArrayDeque<>();
        boolean closed = false;
        long lingerNanos = 0;
        try {
            while (!closed) {
                // Read before taking: once closed, no line is added, so this round takes the last ones.
                closed = queue.isClosed();
                ArrayDeque<QueuedLine> batch = queue.takeAll(spare, waitNanos(System.nanoTime()), lingerNanos);
                lingerNanos = batch.isEmpty() ? 0 : TimeUnit.MICROSECONDS.toNanos(LINGER_MICROS);
                round(batch);
                batch.clear();
                spare = batch;
            }
            finish();
        } catch (InterruptedException e) {
            LOG.error("The JSON Lines writer was interrupted; {} lines were not written", queue.size() + heldLines);
        } catch (RuntimeException | Error e) {
            queue.close();
            LOG.error("The JSON Lines writer failed; {} lines were not written and later lines are rejected",
                    queue.size() + heldLines, e);
            throw e;
        }
    }

    private void round(ArrayDeque<QueuedLine> batch) {
        long now = System.nanoTime();
        for (QueuedLine line : batch) {
            accept(line);
        }
        for (JsonLinesFile file : dirty) {
            file.dirty = false;
            write(file, now);
        }
        dirty.clear();
        retryFailingFiles(now);
        if (now - nextMaintenanceNanos >= 0) {
            nextMaintenanceNanos = now + MAINTENANCE_NANOS;
            closeIdleFiles(now);
        }
        publishedHeldLines = heldLines;
    }

    private long waitNanos(long now) {
        long wait = nextMaintenanceNanos - now;
        for (JsonLinesFile file : failing) {
            wait = Math.min(wait, file.nextAttemptNanos() - now);
        }
        return Math.max(wait, 1);
    }

    /** Adds a line to its file's waiting lines, or drops it when the file is failing and the buffer is full. */
    private void accept(QueuedLine line) {
        JsonLinesFile file = lookup(line.file());
        if (file == null) {
            metrics.fileLinesLost(1);
            return;
        }
        int size = line.bytes().length + 1;
        if (file.isFailing() && (heldLines >= limits.heldLines() || heldBytes + size > limits.heldBytes())) {
            file.recordLost(1);
            metrics.fileLinesLost(1);
            return;
        }
        file.add(line.bytes());
        heldLines++;
        heldBytes += size;
        if (!file.isFailing() && !file.dirty) {
            file.dirty = true;
            dirty.add(file);
        }
    }

    private JsonLinesFile lookup(String name) {
        if (name.equals(lastName)) {
            return lastFile;
        }
        JsonLinesFile file = files.get(name);
        if (file == null) {
            Path path;
            try {
                path = dataDir.resolve(name).normalize();
            } catch (InvalidPathException e) {
                LOG.error("Dropped a line for the invalid file name '{}': {}", LogText.sanitize(name, 200),
                        e.getMessage());
                return null;
            }
            if (!path.startsWith(dataDir) || path.equals(dataDir)) {
                LOG.error("Dropped a line for '{}', which is not a file in {}", LogText.sanitize(name, 200), dataDir);
                return null;
            }
            file = new JsonLinesFile(name, path);
            files.put(name, file);
        }
        lastName = name;
        lastFile = file;
        return file;
    }

    /** Writes a file's waiting lines, and handles a failure or the end of a run of failures. */
    private void write(JsonLinesFile file, long now) {
        if (!file.isOpen()) {
            makeRoomToOpen();
        }
        int lines = file.pendingLines();
        long bytes = file.pendingBytes();
        file.lastUsedNanos = now;
        try {
            file.writePending(buffer);
        } catch (IOException e) {
            release(lines - file.pendingLines(), bytes - file.pendingBytes());
            openFiles.remove(file);
            failed(file, e, now);
            return;
        }
        release(lines, bytes);
        openFiles.add(file);
        if (file.isFailing()) {
            recovered(file, lines, now);
        }
    }

    private void release(long lines, long bytes) {
        heldLines -= lines;
        heldBytes -= bytes;
    }

    private void failed(JsonLinesFile file, IOException error, long now) {
        metrics.fileWriteFailed();
        file.recordFailure(now, limits.retryInterval().toNanos(), describe(error));
        failing.add(file);
        if (file.isReportDue(now, limits.reportInterval().toNanos())) {
            reportFailure(file, now);
        }
    }

    private void reportFailure(JsonLinesFile file, long now) {
        LOG.error("Could not write to {}: {}; {} lines wait in memory and are retried every {} ms; since the last"
                        + " message: {} failed attempts, {} lines dropped because the buffer was full",
                file.path(), file.lastError(), file.pendingLines(), limits.retryInterval().toMillis(),
                file.failuresSinceReport(), file.lostSinceReport());
        file.reported(now);
    }

    private void recovered(JsonLinesFile file, int written, long now) {
        // Drops not yet reported make this an ERROR, so that every drop reaches the log at that level.
        Level level = file.lostSinceReport() > 0 ? Level.ERROR : Level.INFO;
        LOG.atLevel(level).log("Writing to {} works again after {} failed attempts over {} ms; wrote the {} lines"
                        + " that were waiting; {} lines were dropped because the buffer was full",
                file.path(), file.failedAttempts(),
                TimeUnit.NANOSECONDS.toMillis(now - file.failingSinceNanos()), written, file.lostSinceFailing());
        file.recordRecovery();
        failing.remove(file);
    }

    private void retryFailingFiles(long now) {
        if (failing.isEmpty()) {
            return;
        }
        long reportNanos = limits.reportInterval().toNanos();
        for (JsonLinesFile file : new ArrayList<>(failing)) {
            if (file.isAttemptDue(now)) {
                write(file, now);
            }
            if (file.isFailing() && file.isReportDue(now, reportNanos)
                    && (file.failuresSinceReport() > 0 || file.lostSinceReport() > 0)) {
                reportFailure(file, now);
            }
        }
    }

    /** Closes the least recently used open file when as many files as allowed are open. */
    private void makeRoomToOpen() {
        if (openFiles.size() < limits.maxOpenFiles()) {
            return;
        }
        JsonLinesFile oldest = null;
        for (JsonLinesFile file : openFiles) {
            if (oldest == null || file.lastUsedNanos - oldest.lastUsedNanos < 0) {
                oldest = file;
            }
        }
        close(oldest);
    }

    /** Closes files not written for {@link Limits#idleClose}, and every open file once the day has changed. */
    private void closeIdleFiles(long now) {
        LocalDate today = LocalDate.now(zone);
        boolean dayChanged = !today.equals(day);
        day = today;
        long idleNanos = limits.idleClose().toNanos();
        for (JsonLinesFile file : new ArrayList<>(openFiles)) {
            if (dayChanged || now - file.lastUsedNanos >= idleNanos) {
                close(file);
            }
        }
    }

    /** Closes a file, and removes it from the map of known files unless lines still wait for it. */
    private void close(JsonLinesFile file) {
        file.close();
        openFiles.remove(file);
        if (file.pendingLines() == 0 && !file.isFailing() && !file.dirty) {
            files.remove(file.name());
            if (lastFile == file) {
                lastFile = null;
                lastName = null;
            }
        }
    }

    /** Writes what is left, tries each failing file once more, closes every file and saves what stays unwritten. */
    private void finish() {
        long now = System.nanoTime();
        for (JsonLinesFile file : new ArrayList<>(failing)) {
            write(file, now);
        }
        List<JsonLinesFile> unwritten = new ArrayList<>();
        for (JsonLinesFile file : files.values()) {
            file.close();
            if (file.pendingLines() > 0) {
                unwritten.add(file);
            }
        }
        openFiles.clear();
        if (!unwritten.isEmpty()) {
            saveUnwritten(unwritten);
        }
        publishedHeldLines = heldLines;
    }

    /**
     * Saves lines that their files did not take to {@value #UNWRITTEN_FILE} in the data folder, as
     * {@code {"file":"2026-12-04/new_order.jsonl","line":"..."}}. That works when only some paths fail, for example
     * a day folder that cannot be created. On a full disk it fails too, and the lines are counted as lost.
     */
    private void saveUnwritten(List<JsonLinesFile> unwritten) {
        JsonLinesFile fallback = new JsonLinesFile(UNWRITTEN_FILE, dataDir.resolve(UNWRITTEN_FILE));
        StringJoiner names = new StringJoiner(", ");
        long lines = 0;
        for (JsonLinesFile file : unwritten) {
            names.add(file.name() + " (" + file.lastError() + ")");
            lines += file.pendingLines();
            for (byte[] line : file.removePending()) {
                ObjectNode saved = EventJson.object();
                saved.put("file", file.name());
                saved.put("line", new String(line, StandardCharsets.UTF_8));
                fallback.add(EventJson.compact(saved).getBytes(StandardCharsets.UTF_8));
            }
        }
        heldLines = 0;
        heldBytes = 0;
        try {
            fallback.writePending(buffer);
            LOG.error("Stopped with {} lines that could not be written to {}; saved them to {}", lines, names,
                    fallback.path());
        } catch (IOException e) {
            long lost = fallback.pendingLines();
            metrics.fileLinesLost(lost);
            LOG.error("Stopped with {} lines that could not be written to {}, and could not save {} of them to {}"
                    + " either: {}; those are lost", lines, names, lost, fallback.path(), describe(e));
        } finally {
            fallback.close();
        }
    }

    private static String describe(IOException error) {
        if (error instanceof FileAlreadyExistsException exists) {
            // Files.createDirectories found something other than a folder in the way.
            return LogText.sanitize("FileAlreadyExistsException: " + exists.getFile() + " is not a folder", 300);
        }
        String message = error.getMessage();
        String text = message == null
                ? error.getClass().getSimpleName()
                : error.getClass().getSimpleName() + ": " + message;
        return LogText.sanitize(text, 300);
    }
}
