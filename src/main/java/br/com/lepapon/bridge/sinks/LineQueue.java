package br.com.lepapon.bridge.sinks;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the routes and the {@link JsonLinesWriter} thread, bounded both in lines and in bytes.
 * Producers block in {@link #put} while it is full. The one consumer takes everything queued at once with
 * {@link #takeAll}, which swaps two deques, so the consumer takes the lock once per batch, not once per line. A
 * producer wakes the consumer only for the first line after an idle wait, or when the queue is half full, so a
 * steady stream of lines costs no wake-up per line.
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
    /** True while the consumer waits for the first line, which it wants at once. */
    private boolean waitingForFirstLine;
    /** True while the consumer lets lines accumulate, which it wants early only once the queue is half full. */
    private boolean lingering;
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
            if ((waitingForFirstLine && size == 1) || (lingering && isHalfFull())) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes every queued line. Without {@code lingerNanos}, it waits up to {@code timeoutNanos} for a line when
     * none is queued and returns as soon as one arrives. With {@code lingerNanos}, it waits that long (at most
     * {@code timeoutNanos}) so that more lines accumulate, and returns early only when the queue is half full.
     *
     * @param empty       an empty deque, which becomes the queue's storage; reusing the deque returned by the
     *                    previous call avoids an allocation per batch
     * @param lingerNanos 0, or how long to let lines accumulate
     * @return the lines in the order they were put; empty after the timeout or a {@link #close}
     */
    ArrayDeque<QueuedLine> takeAll(ArrayDeque<QueuedLine> empty, long timeoutNanos, long lingerNanos)
            throws InterruptedException {
        lock.lock();
        try {
            if (lingerNanos > 0) {
                lingering = true;
                long remaining = Math.min(lingerNanos, timeoutNanos);
                while (!isHalfFull() && !closed && remaining > 0) {
                    remaining = notEmpty.awaitNanos(remaining);
                }
                lingering = false;
            } else {
                waitingForFirstLine = true;
                long remaining = timeoutNanos;
                while (lines.isEmpty() && !closed && remaining > 0) {
                    remaining = notEmpty.awaitNanos(remaining);
                }
                waitingForFirstLine = false;
            }
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

    private boolean isHalfFull() {
        return lines.size() >= maxLines / 2 || bytes >= maxBytes / 2;
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
