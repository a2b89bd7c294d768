package br.com.lepapon.bridge.sinks;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the routes and the {@link JsonLinesWriter} thread, bounded both in lines and in bytes.
 * Producers block in {@link #put} while it is full. The one consumer takes everything queued at once with
 * {@link #takeAll}, which swaps two deques, so the consumer takes the lock once per batch, not once per line.
 */
final class LineQueue {

    private final int maxLines;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();

    // Guarded by lock.
    private ArrayDeque<QueuedLine> lines = new ArrayDeque<>();
    private long bytes;
    private boolean closed;
    private boolean wakeUpRequested;
    /** The number of queued lines, readable without the lock for the metrics gauge. */
    private volatile int size;

    LineQueue(int maxLines, long maxBytes) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
    }

    /**
     * Appends a line, waiting while the queue is full. A line larger than {@code maxBytes} is accepted once the
     * queue is empty, so it cannot wait forever.
     *
     * @throws IllegalStateException when the queue was closed, before or while waiting
     */
    void put(QueuedLine line) throws InterruptedException {
        int length = line.bytes().length;
        lock.lockInterruptibly();
        try {
            while (!closed && !lines.isEmpty() && (lines.size() >= maxLines || bytes + length > maxBytes)) {
                notFull.await();
            }
            if (closed) {
                throw new IllegalStateException("The JSON Lines writer is stopped, so this line for "
                        + line.file() + " was not written");
            }
            lines.addLast(line);
            bytes += length;
            size = lines.size();
            if (size == 1) {
                // The consumer waits only while the queue is empty.
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes every queued line, waiting up to {@code timeoutNanos} for one when none is queued.
     *
     * @param empty an empty deque, which becomes the queue's storage; reusing the deque returned by the previous
     *              call avoids an allocation per batch
     * @return the lines in the order they were put; empty after the timeout, a {@link #wakeUp} or {@link #close}
     */
    ArrayDeque<QueuedLine> takeAll(ArrayDeque<QueuedLine> empty, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while (lines.isEmpty() && !closed && !wakeUpRequested && remaining > 0) {
                remaining = notEmpty.awaitNanos(remaining);
            }
            wakeUpRequested = false;
            ArrayDeque<QueuedLine> taken = lines;
            lines = empty;
            bytes = 0;
            size = 0;
            notFull.signalAll();
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a waiting or the next {@link #takeAll} return at once. */
    void wakeUp() {
        lock.lock();
        try {
            wakeUpRequested = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Rejects further lines; lines already queued can still be taken. Wakes every waiting thread. */
    void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        return size;
    }

    /** One line on its way to a file, without its newline. */
    record QueuedLine(String file, byte[] bytes) {
    }
}
