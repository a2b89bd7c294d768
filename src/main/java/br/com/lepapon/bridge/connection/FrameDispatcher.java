package br.com.lepapon.bridge.connection;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands received frames to the routes one at a time, on one thread, in the order they arrived. The Vert.x event
 * loop only queues a frame, so a slow sink never blocks the socket; when the queue grows past
 * {@link #HIGH_WATER_MARK} the connection pauses reading until it drops below {@link #LOW_WATER_MARK}.
 */
public final class FrameDispatcher {

    public static final String FRAME_ENDPOINT = "direct:feed-frame";
    public static final String RECEIVED_AT_HEADER = "LePaponReceivedAt";
    public static final String DECODING_ERROR_HEADER = "LePaponDecodingError";
    static final int HIGH_WATER_MARK = 10_000;
    static final int LOW_WATER_MARK = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);

    private final BlockingQueue<ReceivedFrame> queue = new LinkedBlockingQueue<>();
    private final CamelContext camelContext;
    private final ProducerTemplate template;
    private final Thread worker;
    private final AtomicReference<Runnable> onDrained = new AtomicReference<>();
    private volatile boolean stopping;

    public FrameDispatcher(CamelContext camelContext) {
        this.camelContext = camelContext;
        this.template = camelContext.createProducerTemplate();
        this.worker = new Thread(this::run, "feed-frame-dispatcher");
    }

    public void start() {
        worker.start();
    }

    /** Queues a frame; returns false when the backlog is past the high-water mark and reading should pause. */
    boolean submit(ReceivedFrame frame) {
        queue.add(frame);
        return queue.size() < HIGH_WATER_MARK;
    }

    /** Runs {@code action} once, after the backlog has dropped below the low-water mark. */
    void runWhenDrained(Runnable action) {
        onDrained.set(action);
        if (queue.size() < LOW_WATER_MARK) {
            fireDrained();
        }
    }

    int backlog() {
        return queue.size();
    }

    /** Processes what is queued, for up to {@code timeoutMillis}, then stops the worker. */
    public void stop(long timeoutMillis) throws InterruptedException {
        stopping = true;
        worker.join(timeoutMillis);
        if (worker.isAlive()) {
            LOG.warn("Stopping with {} received frames not yet processed", queue.size());
            worker.interrupt();
            worker.join(timeoutMillis);
        }
        template.stop();
    }

    private void run() {
        try {
            while (!stopping || !queue.isEmpty()) {
                ReceivedFrame frame = queue.poll(100, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    dispatch(frame);
                }
                if (onDrained.get() != null && queue.size() < LOW_WATER_MARK) {
                    fireDrained();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void dispatch(ReceivedFrame frame) {
        Exchange exchange = new DefaultExchange(camelContext);
        exchange.getMessage().setBody(frame.text());
        exchange.getMessage().setHeader(RECEIVED_AT_HEADER, frame.receivedAt());
        frame.decodingError().ifPresent(error -> exchange.getMessage().setHeader(DECODING_ERROR_HEADER, error));
        try {
            template.send(FRAME_ENDPOINT, exchange);
        } catch (RuntimeException e) {
            LOG.error("Failed to route a received frame: {}", e.toString());
            return;
        }
        if (exchange.getException() != null) {
            // The route's error handler has logged the failure with its details.
            LOG.debug("Routing a received frame failed: {}", exchange.getException().toString());
        }
    }

    private void fireDrained() {
        Runnable action = onDrained.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }
}
