package br.com.lepapon.bridge.benchmark;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Follows each numbered frame of one bridge process: the file its line belongs in, when it was sent, when its line
 * appeared and, for orders, when its webhook request arrived or its dead letter appeared. Times are
 * {@link System#nanoTime} values, 0 while unknown. Also counts what must not happen: a second line for a frame, a
 * line in the wrong file, a line before a higher-numbered one in the same file.
 */
final class FrameTracker {

    private final int capacity;
    private final String[] expectedFile;
    private final boolean[] order;
    private final AtomicLongArray sentNanos;
    private final AtomicLongArray lineNanos;
    private final AtomicLongArray webhookNanos;
    private final AtomicLongArray deadLetterNanos;
    private final AtomicInteger lines = new AtomicInteger();
    private final AtomicInteger webhookRequests = new AtomicInteger();
    private final AtomicInteger deadLetters = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger wrongFile = new AtomicInteger();
    private final AtomicInteger outOfOrder = new AtomicInteger();
    private final AtomicInteger unexpected = new AtomicInteger();

    FrameTracker(int capacity) {
        this.capacity = capacity;
        this.expectedFile = new String[capacity];
        this.order = new boolean[capacity];
        this.sentNanos = new AtomicLongArray(capacity);
        this.lineNanos = new AtomicLongArray(capacity);
        this.webhookNanos = new AtomicLongArray(capacity);
        this.deadLetterNanos = new AtomicLongArray(capacity);
    }

    void expect(int seq, String file, boolean isOrder) {
        if (seq >= capacity) {
            throw new IllegalStateException("More frames than the tracker's capacity of " + capacity);
        }
        expectedFile[seq] = file;
        order[seq] = isOrder;
    }

    void sent(int seq, long nanos) {
        sentNanos.set(seq, nanos);
    }

    /**
     * Records a line for {@code seq} in the file named {@code file} (without .jsonl); {@code previousInFile} is the
     * number of the line before it in that file, or -1.
     */
    void line(int seq, String file, int previousInFile, long nanos) {
        if (seq < 0 || seq >= capacity || expectedFile[seq] == null) {
            unexpected.incrementAndGet();
            return;
        }
        if (!lineNanos.compareAndSet(seq, 0, nanos)) {
            duplicates.incrementAndGet();
            return;
        }
        lines.incrementAndGet();
        if (!file.equals(expectedFile[seq])) {
            wrongFile.incrementAndGet();
        }
        if (seq <= previousInFile) {
            outOfOrder.incrementAndGet();
        }
    }

    void webhook(int seq, long nanos) {
        if (seq >= 0 && seq < capacity && webhookNanos.compareAndSet(seq, 0, nanos)) {
            webhookRequests.incrementAndGet();
        }
    }

    void deadLetter(int seq, long nanos) {
        if (seq >= 0 && seq < capacity && deadLetterNanos.compareAndSet(seq, 0, nanos)) {
            deadLetters.incrementAndGet();
        }
    }

    int lines() {
        return lines.get();
    }

    /** Returns the webhook requests and dead letters seen so far, each order counted once for each. */
    int ordersSettled() {
        return webhookRequests.get() + deadLetters.get();
    }

    long lineNanos(int seq) {
        return lineNanos.get(seq);
    }

    /** Counts the frames in [from, to) that have no line yet. */
    int missingLines(int from, int to) {
        int missing = 0;
        for (int seq = from; seq < to; seq++) {
            if (lineNanos.get(seq) == 0) {
                missing++;
            }
        }
        return missing;
    }

    /** Returns the time of the last line of the frames in [from, to), or 0 when none has a line. */
    long lastLineNanos(int from, int to) {
        long last = 0;
        for (int seq = from; seq < to; seq++) {
            last = Math.max(last, lineNanos.get(seq));
        }
        return last;
    }

    int orders(int from, int to) {
        int count = 0;
        for (int seq = from; seq < to; seq++) {
            if (order[seq]) {
                count++;
            }
        }
        return count;
    }

    int webhookRequests(int from, int to) {
        return count(webhookNanos, from, to);
    }

    int deadLetters(int from, int to) {
        return count(deadLetterNanos, from, to);
    }

    /** Returns the sorted send-to-line latencies in nanoseconds of the frames in [from, to) that have a line. */
    long[] lineLatencies(int from, int to) {
        return latencies(lineNanos, from, to, false);
    }

    /** Returns the sorted send-to-webhook latencies in nanoseconds of the orders in [from, to) that arrived. */
    long[] webhookLatencies(int from, int to) {
        return latencies(webhookNanos, from, to, true);
    }

    int duplicates() {
        return duplicates.get();
    }

    int wrongFile() {
        return wrongFile.get();
    }

    int outOfOrder() {
        return outOfOrder.get();
    }

    int unexpected() {
        return unexpected.get();
    }

    private long[] latencies(AtomicLongArray arrived, int from, int to, boolean ordersOnly) {
        long[] values = new long[to - from];
        int count = 0;
        for (int seq = from; seq < to; seq++) {
            long sent = sentNanos.get(seq);
            long at = arrived.get(seq);
            if (sent != 0 && at != 0 && (!ordersOnly || order[seq])) {
                values[count++] = at - sent;
            }
        }
        long[] result = Arrays.copyOf(values, count);
        Arrays.sort(result);
        return result;
    }

    private static int count(AtomicLongArray times, int from, int to) {
        int count = 0;
        for (int seq = from; seq < to; seq++) {
            if (times.get(seq) != 0) {
                count++;
            }
        }
        return count;
    }
}
