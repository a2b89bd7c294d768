package br.com.lepapon.bridge.benchmark;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the bridge's daily files while they grow and reports each line's frame number to a {@link FrameTracker},
 * with the time the line was read. A thread waits for file-system events (inotify on Linux) and, in case one is
 * missed, reads every file at least once a millisecond, so a line's time is at most about a millisecond after
 * its write.
 */
final class LineTailer implements AutoCloseable {

    /** Files under a day folder that hold no events. */
    private static final Set<String> NOT_EVENT_FILES = Set.of("feed-gaps", "invalid-frames", "unprocessed-frames");
    private static final String DEAD_LETTER_FILE = "webhook-dead-letters";
    /** Day folders hold the event files; other folders, such as the webhook outbox, are not read. */
    private static final Pattern DAY_FOLDER = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final long RESCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final Path dataDir;
    private final FrameTracker tracker;
    private final WatchService watcher;
    private final Thread thread;
    private final Set<Path> watchedFolders = new HashSet<>();
    private final Map<Path, TailedFile> files = new HashMap<>();
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    LineTailer(Path dataDir, FrameTracker tracker) throws IOException {
        this.dataDir = dataDir;
        this.tracker = tracker;
        this.watcher = dataDir.getFileSystem().newWatchService();
        this.thread = new Thread(this::run, "benchmark-line-tailer");
        this.thread.setDaemon(true);
    }

    LineTailer start() {
        thread.start();
        return this;
    }

    /** Throws what stopped the reading thread, if anything did. */
    void checkHealthy() {
        RuntimeException error = failure;
        if (error != null) {
            throw error;
        }
    }

    /** Returns how many event files end in a line without its newline. */
    synchronized int filesEndingInPartialLine() {
        int count = 0;
        for (TailedFile file : files.values()) {
            if (file.pendingLength > 0) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5_000);
        watcher.close();
        synchronized (this) {
            for (TailedFile file : files.values()) {
                file.channel.close();
            }
        }
    }

    private void run() {
        try {
            long lastScan = 0;
            while (running) {
                WatchKey key = watcher.poll(1, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                boolean created = false;
                while (key != null) {
                    created |= key.pollEvents().stream().anyMatch(event -> event.kind() != ENTRY_MODIFY);
                    key.reset();
                    key = watcher.poll();
                }
                if (created || now - lastScan > RESCAN_NANOS) {
                    scan();
                    lastScan = now;
                }
                readAll(now);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failure = new UncheckedIOException("Reading the bridge's files under " + dataDir + " failed", e);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Watches new day folders and starts reading new files. */
    private synchronized void scan() throws IOException {
        watch(dataDir);
        List<Path> days;
        try (Stream<Path> children = Files.list(dataDir)) {
            days = children.filter(LineTailer::isDayFolder).toList();
        }
        for (Path day : days) {
            watch(day);
            List<Path> jsonLines;
            try (Stream<Path> children = Files.list(day)) {
                jsonLines = children.filter(path -> path.getFileName().toString().endsWith(".jsonl")).toList();
            }
            for (Path path : jsonLines) {
                if (!files.containsKey(path)) {
                    String name = path.getFileName().toString().replaceFirst("\\.jsonl$", "");
                    if (!NOT_EVENT_FILES.contains(name)) {
                        files.put(path, new TailedFile(name, FileChannel.open(path, StandardOpenOption.READ)));
                    }
                }
            }
        }
    }

    private void watch(Path folder) throws IOException {
        if (watchedFolders.add(folder)) {
            folder.register(watcher, ENTRY_CREATE, ENTRY_MODIFY);
        }
    }

    private synchronized void readAll(long now) throws IOException {
        for (TailedFile file : files.values()) {
            file.readNew(now);
        }
    }

    /** One file being read: where reading stopped, the start of a line whose newline has not arrived yet. */
    private final class TailedFile {

        private final String name;
        private final FileChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
        private byte[] pending = new byte[4096];
        private int pendingLength;
        private long position;
        private int lastSeq = -1;

        TailedFile(String name, FileChannel channel) {
            this.name = name;
            this.channel = channel;
        }

        void readNew(long now) throws IOException {
            while (true) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read <= 0) {
                    return;
                }
                position += read;
                append(buffer.array(), read);
                consumeLines(now);
            }
        }

        private void append(byte[] bytes, int length) {
            if (pendingLength + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + length));
            }
            System.arraycopy(bytes, 0, pending, pendingLength, length);
            pendingLength += length;
        }

        private void consumeLines(long now) {
            int start = 0;
            for (int i = 0; i < pendingLength; i++) {
                if (pending[i] == '\n') {
                    handleLine(start, i, now);
                    start = i + 1;
                }
            }
            System.arraycopy(pending, start, pending, 0, pendingLength - start);
            pendingLength -= start;
        }

        private void handleLine(int start, int end, long now) {
            int seq = seqOf(pending, start, end);
            if (DEAD_LETTER_FILE.equals(name)) {
                tracker.deadLetter(seq, now);
                return;
            }
            tracker.line(seq, name, lastSeq, now);
            lastSeq = seq;
        }
    }

    /** Returns the number after {@link BenchmarkFrames#SEQ_MARKER} in the line, or -1 when it has none. */
    static int seqOf(byte[] line, int start, int end) {
        byte[] marker = BenchmarkFrames.SEQ_MARKER;
        outer:
        for (int i = start; i <= end - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (line[i + j] != marker[j]) {
                    continue outer;
                }
            }
            int value = 0;
            int digits = 0;
            for (int k = i + marker.length; k < end && line[k] >= '0' && line[k] <= '9' && digits < 10; k++) {
                value = value * 10 + (line[k] - '0');
                digits++;
            }
            return digits == 0 ? -1 : value;
        }
        return -1;
    }

    private static boolean isDayFolder(Path path) {
        return Files.isDirectory(path) && DAY_FOLDER.matcher(path.getFileName().toString()).matches();
    }

    /** Lists the event files the bridge has written so far, for the content check. */
    static List<Path> eventFiles(Path dataDir) throws IOException {
        List<Path> result = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(dataDir, 2)) {
            paths.filter(path -> path.getFileName().toString().endsWith(".jsonl"))
                    .filter(path -> isDayFolder(path.getParent()))
                    .filter(path -> {
                        String name = path.getFileName().toString().replaceFirst("\\.jsonl$", "");
                        return !NOT_EVENT_FILES.contains(name) && !DEAD_LETTER_FILE.equals(name);
                    })
                    .sorted()
                    .forEach(result::add);
        }
        return result;
    }
}
