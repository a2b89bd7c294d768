package br.com.lepapon.bridge.connection;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import br.com.lepapon.bridge.LogText;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * One WebSocket connection to the feed, used once: {@link #open} connects, received messages go to the
 * {@link FrameDispatcher}, and the close listener is called exactly once when the connection ends for any reason.
 * Each connection has its own Vert.x client, so {@link #close} can tear the TCP connection down even when the
 * server never answers the closing handshake.
 */
final class FeedConnection {

    private final Vertx vertx;
    private final FrameDispatcher dispatcher;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final int maxFrameBytes;
    private final WebSocketClient client;
    /** How long a graceful close waits for the server's close frame before it ends the TCP connection. */
    static final long CLOSE_WAIT_MILLIS = 2_000;

    private final AtomicBoolean closeReported = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private BiConsumer<FeedConnection, String> closeListener = (connection, reason) -> { };
    private volatile WebSocket socket;
    private volatile long lastTrafficNanos;
    private volatile long lastPingNanos;
    private volatile long unansweredPingNanos;
    private volatile String closeReason;
    private volatile boolean paused;
    private volatile boolean closing;
    private long keepaliveTimer = -1;

    FeedConnection(Vertx vertx, FrameDispatcher dispatcher, Duration connectTimeout, Duration pingInterval,
            Duration pingTimeout, int maxFrameBytes) {
        this.vertx = vertx;
        this.dispatcher = dispatcher;
        this.pingInterval = pingInterval;
        this.pingTimeout = pingTimeout;
        this.maxFrameBytes = maxFrameBytes;
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .setMaxFrameSize(maxFrameBytes)
                .setMaxMessageSize(maxFrameBytes)
                .setClosingTimeout(2);
        this.client = vertx.createWebSocketClient(options);
    }

    /** Starts the handshake; the future fails on a refused connection, a timeout or a rejected upgrade. */
    Future<Void> open(URI uri, Duration handshakeTimeout, BiConsumer<FeedConnection, String> onClose) {
        this.closeListener = onClose;
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setAbsoluteURI(uri.toString())
                .setConnectTimeout(handshakeTimeout.toMillis());
        return client.connect(options).map(webSocket -> {
            attach(webSocket);
            return null;
        });
    }

    /**
     * Sends a close frame and ends the TCP connection once the server replies, or after {@link #CLOSE_WAIT_MILLIS}.
     * Reading resumes if it was paused, so the frames the server sent before its close frame are still received
     * and queued. The close listener gets {@code reason}; {@link #closed} completes when the socket is closed.
     */
    void close(String reason) {
        closeReason(reason);
        closing = true;
        WebSocket current = socket;
        if (current != null && !current.isClosed()) {
            if (paused) {
                resume(current);
            }
            current.close((short) 1000, "client closing").onComplete(done -> client.close());
            vertx.setTimer(CLOSE_WAIT_MILLIS, id -> client.close());
        } else {
            abort(reason);
        }
    }

    /** Returns a future that completes once the connection has closed for any reason. */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** Ends the TCP connection at once, without a closing handshake, for a peer that no longer responds. */
    void abort(String reason) {
        closeReason(reason);
        client.close();
        if (socket == null) {
            reportClosed(reason);
        }
    }

    private void closeReason(String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
    }

    private void attach(WebSocket webSocket) {
        socket = webSocket;
        lastTrafficNanos = System.nanoTime();
        lastPingNanos = lastTrafficNanos;
        webSocket.textMessageHandler(text -> receive(ReceivedFrame.text(text)));
        webSocket.binaryMessageHandler(buffer -> receive(decode(buffer)));
        webSocket.pongHandler(pong -> lastTrafficNanos = System.nanoTime());
        webSocket.exceptionHandler(this::onError);
        webSocket.closeHandler(ignored -> onSocketClosed(webSocket));
        long tickMillis = Math.max(10, Math.min(pingInterval.toMillis(), pingTimeout.toMillis()) / 4);
        keepaliveTimer = vertx.setPeriodic(tickMillis, id -> keepAlive(webSocket));
    }

    private void onError(Throwable error) {
        // A connection that closes without a close frame also raises HttpClosedException; the close handler
        // reports it.
        if (error instanceof HttpClosedException) {
            return;
        }
        String detail = LogText.sanitize(error.getMessage(), 200);
        if (error instanceof CorruptedWebSocketFrameException && detail.contains("Max frame length")) {
            // NOTE: Netty rejects an oversized frame from its header and does not report the frame's size.
            abort("a frame larger than WS_MAX_FRAME_BYTES (" + maxFrameBytes + " bytes) arrived: " + detail);
        } else if (error instanceof IllegalStateException && detail.contains("overflow max message size")) {
            abort("a fragmented message larger than WS_MAX_FRAME_BYTES (" + maxFrameBytes + " bytes) arrived: "
                    + detail);
        } else {
            abort("connection error: " + LogText.sanitize(error.toString(), 200));
        }
    }

    private void receive(ReceivedFrame frame) {
        lastTrafficNanos = System.nanoTime();
        if (!dispatcher.submit(frame) && !paused && !closing) {
            WebSocket current = socket;
            paused = true;
            current.pause();
            dispatcher.runWhenDrained(() -> resume(current));
        }
    }

    private void resume(WebSocket webSocket) {
        lastTrafficNanos = System.nanoTime();
        paused = false;
        webSocket.resume();
    }

    /**
     * Sends a ping every ping interval, and ends the connection when nothing (pong or frame) has arrived within the
     * ping timeout after the first ping that is still unanswered.
     */
    private void keepAlive(WebSocket webSocket) {
        long now = System.nanoTime();
        if (paused) {
            // Pongs wait unread in the socket while the bridge catches up, so silence now is not a sign of a dead peer.
            lastTrafficNanos = now;
            unansweredPingNanos = 0;
            return;
        }
        boolean pingUnanswered = unansweredPingNanos != 0 && lastTrafficNanos < unansweredPingNanos;
        if (pingUnanswered && now - unansweredPingNanos >= pingTimeout.toNanos()) {
            abort("no pong or other traffic within " + pingTimeout.toMillis() + " ms of a ping");
        } else if (now - lastPingNanos >= pingInterval.toNanos()) {
            lastPingNanos = now;
            if (!pingUnanswered) {
                unansweredPingNanos = now;
            }
            webSocket.writePing(Buffer.buffer("keepalive"));
        }
    }

    private void onSocketClosed(WebSocket webSocket) {
        vertx.cancelTimer(keepaliveTimer);
        client.close();
        String reason = closeReason;
        if (reason == null) {
            Short code = webSocket.closeStatusCode();
            reason = code == null
                    ? "connection lost without a close frame"
                    : "closed by server with code " + code + describe(webSocket.closeReason());
        }
        reportClosed(reason);
    }

    private void reportClosed(String reason) {
        if (closeReported.compareAndSet(false, true)) {
            closed.complete(null);
            closeListener.accept(this, reason);
        }
    }

    /** Returns the close code the server sent, if it sent one. */
    Optional<Short> serverCloseCode() {
        WebSocket current = socket;
        return current == null ? Optional.empty() : Optional.ofNullable(current.closeStatusCode());
    }

    private static String describe(String reason) {
        return reason == null || reason.isEmpty() ? "" : " (" + LogText.sanitize(reason, 120) + ")";
    }

    private static ReceivedFrame decode(Buffer buffer) {
        byte[] bytes = buffer.getBytes();
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
            return new ReceivedFrame(text, Instant.now(), Optional.empty());
        } catch (CharacterCodingException e) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return new ReceivedFrame(text, Instant.now(), Optional.of("binary frame is not valid UTF-8"),
                    Optional.of(bytes));
        }
    }
}
