package br.com.lepapon.bridge.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import br.com.lepapon.bridge.HeapShare;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received frames to the routes one at a time, on one thread, in the order they arrived. The Vert.x event
 * loop only queues a frame, so a slow sink never blocks the socket. When the queue holds more than
 * {@link #HIGH_WATER_MARK} frames or {@link #HIGH_WATER_CHARS} characters, the connection pauses reading until
 * the queue is below a tenth of both.
 */
public final class FrameDispatcher {

    public static final String RECEIVED_AT_HEADER = "LePaponReceivedAt";
    public static final String DECODING_ERROR_HEADER = "LePaponDecodingError";
    /** The base64 of a binary frame that is not valid UTF-8, so the invalid-frames file keeps its exact bytes. */
    public static final String FRAME_BASE64_HEADER = "LePaponFrameBase64";
    static final int HIGH_WATER_MARK = 10_000;
    /**
     * 32 Mi characters (up to 64 MiB of heap as Java strings), or what a sixteenth of the heap takes if that is less.
     * A single frame may still be as large as WS_MAX_FRAME_BYTES.
     */
    static final long HIGH_WATER_CHARS = HeapShare.of(64L * 1024 * 1024, 16) / 2;
    /** How long stopping waits for the frame in hand after the drain time, before it interrupts the worker. */
    private static final long IN_HAND_WAIT_MILLIS = 1_000;
    private static final long INTERRUPT_WAIT_MILLIS = 500;

    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);

    private final BlockingQueue<ReceivedFrame> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedChars = new AtomicLong();
    private final FrameRouter router;
    private final Thread worker;
    private final AtomicReference<Runnable> onDrained = new AtomicReference<>();
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile ReceivedFrame inFlight;

    public FrameDispatcher(FrameRouter router) {
        this.router = router;
        this.worker = new Thread(this::run, "feed-frame-dispatcher");
    }

    public void start() {
        worker.start();
    }

    /** Queues a frame; returns false when the backlog is past a high-water mark and reading should pause. */
    boolean submit(ReceivedFrame frame) {
        long chars = queuedChars.addAndGet(frame.text().length());
        queue.add(frame);
        return queue.size() < HIGH_WATER_MARK && chars < HIGH_WATER_CHARS;
    }

    /** Runs {@code action} once, after the backlog has dropped below a tenth of both high-water marks. */
    void runWhenDrained(Runnable action) {
        onDrained.set(action);
        if (isDrained()) {
            fireDrained();
        }
    }

    private boolean isDrained() {
        return queue.size() < HIGH_WATER_MARK / 10 && queuedChars.get() < HIGH_WATER_CHARS / 10;
    }

    /**
     * Processes what is queued for up to {@code timeoutMillis}, then lets the worker finish the frame in hand and
     * stops it.
     *
     * @return the frames that were received but not processed in time, in arrival order. A frame whose routing did
     *         not end within 1 more second comes first, because it may have been written only in part.
     */
    public List<ReceivedFrame> stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        worker.join(timeoutMillis);
        abandoned = true;
        worker.join(IN_HAND_WAIT_MILLIS);
        List<ReceivedFrame> unprocessed = new ArrayList<>();
        if (worker.isAlive()) {
            // Read before the interrupt, because an interrupted route returns and the worker then clears inFlight.
            ReceivedFrame stuck = inFlight;
            worker.interrupt();
            worker.join(INTERRUPT_WAIT_MILLIS);
            if (stuck != null) {
                unprocessed.add(stuck);
            }
        }
        unprocessed.addAll(queue);
        queue.clear();
        return unprocessed;
    }

    private void run() {
        try {
            while (!abandoned && (!stopping || !queue.isEmpty())) {
                ReceivedFrame frame = queue.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    queuedChars.addAndGet(-frame.text().length());
                    inFlight = frame;
                    dispatch(frame);
                    inFlight = null;
                }
                if (onDrained.get() != null && isDrained()) {
                    fireDrained();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(ReceivedFrame frame) {
        try {
            router.route(frame);
        } catch (RuntimeException e) {
            LOG.error("Failed to route a received frame: {}", e.toString());
        }
    }

    private void fireDrained() {
        Runnable action = onDrained.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /** Routes one frame; called on the dispatcher thread, one frame at a time. */
    @FunctionalInterface
    public interface FrameRouter {

        void route(ReceivedFrame frame);
    }
}
