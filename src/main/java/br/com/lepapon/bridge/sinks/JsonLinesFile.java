package br.com.lepapon.bridge.sinks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * One JSON Lines file of the {@link JsonLinesWriter}: its channel while open, the lines waiting to be written to it,
 * in order, and its failure state. Used only on the writer thread.
 *
 * <p>A write that fails part way can leave a torn line at the end of the file. Lines that were not written whole
 * stay waiting and the channel is closed. Every open checks the file's last byte, and when it is not a newline the
 * next write starts with one, so a torn line never joins the next line. Because the check runs at every open, it
 * also covers files left by a crash.
 */
final class JsonLinesFile {

    private static final byte NEWLINE = '\n';

    private final String name;
    private final Path path;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private long pendingBytes;
    private FileChannel channel;
    /** True when the file's last byte is not a newline, so the next write must start with one. */
    private boolean startWithNewline;
    /** Line end offsets in the write buffer, newline included, reused from write to write. */
    private int[] lineEnds = new int[256];

    // Failure state.
    private long failingSinceNanos = -1;
    private long nextAttemptNanos;
    private int failedAttempts;
    private String lastError;
    private long lastReportNanos;
    private int failuresSinceReport;
    private long lostSinceReport;
    private long lostSinceFailing;

    /** When a write of this file last started, in {@link System#nanoTime} units; for idle closing and LRU. */
    long lastUsedNanos;
    /** True while the file is in the writer's list of files to write this round. */
    boolean dirty;

    JsonLinesFile(String name, Path path) {
        this.name = name;
        this.path = path;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    void add(byte[] line) {
        pending.addLast(line);
        pendingBytes += line.length + 1;
    }

    int pendingLines() {
        return pending.size();
    }

    long pendingBytes() {
        return pendingBytes;
    }

    /** Removes the waiting lines and returns them, oldest first, without their newlines. */
    ArrayDeque<byte[]> removePending() {
        ArrayDeque<byte[]> lines = new ArrayDeque<>(pending);
        pending.clear();
        pendingBytes = 0;
        return lines;
    }

    boolean isOpen() {
        return channel != null;
    }

    /**
     * Appends every waiting line, copying as many as fit into {@code buffer} for each write system call. Lines
     * longer than the buffer go out in buffer-sized parts.
     *
     * @return the number of lines written
     * @throws IOException when creating the folder, opening the file or a write fails. The lines that were not
     *                     written whole are still waiting and the channel is closed.
     */
    int writePending(ByteBuffer buffer) throws IOException {
        int written = 0;
        try {
            open();
            while (!pending.isEmpty()) {
                written += writeChunk(buffer);
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        return written;
    }

    /** Writes one buffer's worth of lines and returns how many lines it completed. */
    private int writeChunk(ByteBuffer buffer) throws IOException {
        buffer.clear();
        if (startWithNewline) {
            buffer.put(NEWLINE);
        }

        int count = 0;
        Iterator<byte[]> lines = pending.iterator();
        while (lines.hasNext()) {
            byte[] line = lines.next();
            if (line.length + 1 > buffer.remaining()) {
                break;
            }
            buffer.put(line).put(NEWLINE);
            if (count == lineEnds.length) {
                lineEnds = Arrays.copyOf(lineEnds, count * 2);
            }
            lineEnds[count++] = buffer.position();
        }
        if (count == 0) {
            return writeLongLine(buffer, pending.peekFirst());
        }

        buffer.flip();
        try {
            writeFully(buffer);
        } catch (IOException e) {
            removeWritten(buffer.position(), count);
            throw e;
        }
        startWithNewline = false;
        removeWritten(Integer.MAX_VALUE, count);
        return count;
    }

    /**
     * Removes the lines that reached the file. A line whose text was written but not its newline counts as
     * written: the newline check at the next open completes it.
     */
    private void removeWritten(int bytesWritten, int count) {
        for (int i = 0; i < count && lineEnds[i] - 1 <= bytesWritten; i++) {
            byte[] line = pending.removeFirst();
            pendingBytes -= line.length + 1;
        }
    }

    /**
     * Writes a line that does not fit in the buffer, in buffer-sized parts after whatever the buffer already holds.
     * A failure keeps the whole line waiting, and the part already written becomes a torn line.
     */
    private int writeLongLine(ByteBuffer buffer, byte[] line) throws IOException {
        int position = 0;
        boolean newlineCopied = false;
        while (!newlineCopied) {
            int length = Math.min(buffer.remaining(), line.length - position);
            buffer.put(line, position, length);
            position += length;
            if (position == line.length && buffer.hasRemaining()) {
                buffer.put(NEWLINE);
                newlineCopied = true;
            }
            buffer.flip();
            writeFully(buffer);
            startWithNewline = false;
            buffer.clear();
        }
        pending.removeFirst();
        pendingBytes -= line.length + 1;
        return 1;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Creates the folder and opens the file for appending, unless open, and checks whether it ends with a newline. */
    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        Files.createDirectories(path.getParent());
        FileChannel opened = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            startWithNewline = !endsWithNewline(opened);
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel = opened;
    }

    /**
     * Returns true when the file is empty or its last byte is a newline. An append-only channel cannot read, so the
     * last byte is read through a second channel.
     */
    private boolean endsWithNewline(FileChannel appending) throws IOException {
        long size = appending.size();
        if (size == 0) {
            return true;
        }
        try (FileChannel reading = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            if (reading.read(last, size - 1) != 1) {
                return true;
            }
            return last.get(0) == NEWLINE;
        }
    }

    /** Closes the channel; the waiting lines stay and the file reopens at the next write. */
    void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Every byte went out with write(), so closing has nothing left to lose.
        }
        channel = null;
    }

    // --- Failure state, kept by JsonLinesWriterThread ---

    boolean isFailing() {
        return failingSinceNanos >= 0;
    }

    /** Records a failed attempt and returns true when it starts a run of failures. */
    boolean recordFailure(long nowNanos, long retryNanos, String error) {
        boolean first = !isFailing();
        if (first) {
            failingSinceNanos = nowNanos;
            failedAttempts = 0;
            lostSinceFailing = 0;
        }
        failedAttempts++;
        failuresSinceReport++;
        lastError = error;
        nextAttemptNanos = nowNanos + retryNanos;
        return first;
    }

    void recordLost(long lines) {
        lostSinceReport += lines;
        lostSinceFailing += lines;
    }

    /** Ends a run of failures after a successful write. */
    void recordRecovery() {
        failingSinceNanos = -1;
        failuresSinceReport = 0;
        lostSinceReport = 0;
    }

    boolean isAttemptDue(long nowNanos) {
        return nowNanos - nextAttemptNanos >= 0;
    }

    long nextAttemptNanos() {
        return nextAttemptNanos;
    }

    long failingSinceNanos() {
        return failingSinceNanos;
    }

    int failedAttempts() {
        return failedAttempts;
    }

    String lastError() {
        return lastError;
    }

    long lostSinceFailing() {
        return lostSinceFailing;
    }

    /** Returns true when a report is due: never reported, or the last report is {@code intervalNanos} old. */
    boolean isReportDue(long nowNanos, long intervalNanos) {
        return lastReportNanos == 0 || nowNanos - lastReportNanos >= intervalNanos;
    }

    int failuresSinceReport() {
        return failuresSinceReport;
    }

    long lostSinceReport() {
        return lostSinceReport;
    }

    void reported(long nowNanos) {
        lastReportNanos = nowNanos == 0 ? 1 : nowNanos;
        failuresSinceReport = 0;
        lostSinceReport = 0;
    }
}
