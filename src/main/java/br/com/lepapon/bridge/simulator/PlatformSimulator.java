package br.com.lepapon.bridge.simulator;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.impl.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the LePapon platform on loopback: the token endpoint ({@code GET /api/websocket/token}), the
 * connection-info endpoint ({@code GET /api/websocket/connection}, returning a {@code localhost} URL as the
 * real one does) on one port, and a token-checking WebSocket feed on another. Tests drive it through the control
 * methods and read what it saw through the counters.
 */
public final class PlatformSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformSimulator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Vertx vertx = Vertx.vertx();
    private final String host;
    private final Set<ServerWebSocket> sockets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> tokensSeen = new CopyOnWriteArrayList<>();
    private final AtomicInteger upgradeRequests = new AtomicInteger();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger maxOpenSockets = new AtomicInteger();
    private final Long tokenExpiresIn;
    private HttpServer apiServer;
    private volatile HttpServer feedServer;
    private int stoppedFeedPort;
    private volatile String token = newToken();
    private final List<Long> upgradeTimesMillis = new CopyOnWriteArrayList<>();
    private final AtomicInteger handshakesInFlight = new AtomicInteger();
    private final AtomicInteger maxHandshakesInFlight = new AtomicInteger();
    private volatile int rejectStatus;
    private volatile boolean answerPings = true;
    private volatile long upgradeDelayMillis;
    private volatile boolean closeOnAccept;
    private volatile int tokenStatus = 200;
    private volatile String tokenBody;

    /** Creates a simulator on 127.0.0.1 whose token endpoint does not send {@code expiresIn}. */
    public PlatformSimulator() {
        this("127.0.0.1", null);
    }

    public PlatformSimulator(String host, Long tokenExpiresIn) {
        this.host = host;
        this.tokenExpiresIn = tokenExpiresIn;
    }

    /** Starts both servers; port 0 picks a free port. */
    public PlatformSimulator start(int apiPort, int feedPort) throws Exception {
        apiServer = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(apiPort))
                .requestHandler(this::handleApi)
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        feedServer = listenFeed(feedPort);
        LOG.info("Platform simulator: API on http://{}:{}, feed on ws://{}:{}", host, apiPort(), host, feedPort());
        return this;
    }

    private HttpServer listenFeed(int port) throws Exception {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setMaxWebSocketFrameSize(16 * 1024 * 1024).setMaxWebSocketMessageSize(64 * 1024 * 1024))
                .webSocketHandshakeHandler(this::handleHandshake)
                .webSocketHandler(this::handleFeedSocket)
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * Stops the feed like a server that shuts down. Every socket is closed with code 1001 and the feed port stops
     * listening, so new connections are refused until {@link #startFeed}. The API endpoints stay up.
     */
    public void stopFeed() throws Exception {
        stoppedFeedPort = feedPort();
        sockets.forEach(socket -> socket.close((short) 1001, "server restarting"));
        feedServer.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Listens again on the feed port that {@link #stopFeed} closed and returns once connections are accepted. */
    public void startFeed() throws Exception {
        feedServer = listenFeed(stoppedFeedPort);
    }

    public int apiPort() {
        return apiServer.actualPort();
    }

    public int feedPort() {
        return feedServer.actualPort();
    }

    public String tokenEndpoint() {
        return "http://" + host + ":" + apiPort() + "/api/websocket/token";
    }

    public String connectionInfoEndpoint() {
        return "http://" + host + ":" + apiPort() + "/api/websocket/connection";
    }

    public String feedUrl() {
        return "ws://" + host + ":" + feedPort();
    }

    /** Returns the token the feed accepts now. */
    public String currentToken() {
        return token;
    }

    /** Issues a new token: the feed rejects the old one from now on, open sockets stay open. */
    public void rotateToken() {
        token = newToken();
    }

    /** Makes the token endpoint return {@code newToken} and the feed accept only it. */
    public void useToken(String newToken) {
        token = newToken;
    }

    /** Makes the feed reject every upgrade with {@code status}; 0 goes back to checking the token. */
    public void rejectUpgrades(int status) {
        rejectStatus = status;
    }

    /** Sends a text frame to every open socket and returns how many got it. */
    public int send(String frame) {
        sockets.forEach(socket -> socket.writeTextMessage(frame));
        return sockets.size();
    }

    /** Sends a text message to every open socket as {@code parts} frames: a first frame, then continuations. */
    public void sendFragmented(String message, int parts) {
        int size = (message.length() + parts - 1) / parts;
        sockets.forEach(socket -> {
            for (int start = 0; start < message.length(); start += size) {
                String part = message.substring(start, Math.min(message.length(), start + size));
                boolean last = start + size >= message.length();
                socket.writeFrame(start == 0
                        ? WebSocketFrame.textFrame(part, last)
                        : WebSocketFrame.continuationFrame(io.vertx.core.buffer.Buffer.buffer(part), last));
            }
        });
    }

    /** Sends a binary frame to every open socket. */
    public void sendBinary(byte[] frame) {
        sockets.forEach(socket -> socket.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(frame)));
    }

    /** Closes every open socket with a close frame carrying {@code code}. */
    public void closeConnections(short code, String reason) {
        sockets.forEach(socket -> socket.close(code, reason));
    }

    /** Closes every open socket's TCP connection without a close frame, like a crashed server or a lost route. */
    public void dropConnections() {
        sockets.forEach(socket -> channel(socket).close());
    }

    /**
     * Stops reading from open and future sockets, so pings go unanswered while the TCP connection stays open,
     * like a hung server or a half-open connection.
     */
    public void stopAnsweringPings() {
        answerPings = false;
        sockets.forEach(socket -> channel(socket).channel().config().setAutoRead(false));
    }

    /** Undoes {@link #stopAnsweringPings}: sockets read again, and those the client has left are closed. */
    public void answerPings() {
        answerPings = true;
        sockets.forEach(socket -> channel(socket).channel().config().setAutoRead(true));
    }

    /** Delays the response to every WebSocket handshake by {@code millis}, like a slow or overloaded server. */
    public void delayUpgrades(long millis) {
        upgradeDelayMillis = millis;
    }

    /** Makes the feed close each socket right after accepting it, like a flapping server; false undoes it. */
    public void closeOnAccept(boolean close) {
        closeOnAccept = close;
    }

    /** Makes the token endpoint respond with {@code status} and {@code body}; 200 and null restore the token. */
    public void failTokenEndpoint(int status, String body) {
        tokenStatus = status;
        tokenBody = body;
    }

    /** Returns when each handshake arrived, in milliseconds of {@link System#nanoTime}. */
    public List<Long> upgradeTimesMillis() {
        return List.copyOf(upgradeTimesMillis);
    }

    /** Returns the largest number of handshakes that were waiting for a response at the same time. */
    public int maxHandshakesInFlight() {
        return maxHandshakesInFlight.get();
    }

    public int upgradeRequests() {
        return upgradeRequests.get();
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    public List<String> tokensSeen() {
        return List.copyOf(tokensSeen);
    }

    public int openSockets() {
        return sockets.size();
    }

    public int maxOpenSockets() {
        return maxOpenSockets.get();
    }

    /** Returns the simulator's Vert.x instance, whose timers drive the demo feed. */
    Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handleApi(HttpServerRequest request) {
        String path = request.path();
        if ("/api/websocket/token".equals(path)) {
            tokenRequests.incrementAndGet();
            if (tokenStatus != 200 || tokenBody != null) {
                request.response().setStatusCode(tokenStatus).end(tokenBody == null ? "" : tokenBody);
                return;
            }
            JsonObject answer = new JsonObject().put("token", token);
            if (tokenExpiresIn != null) {
                answer.put("expiresIn", tokenExpiresIn);
            }
            request.response().putHeader("Content-Type", "application/json").end(answer.encode());
        } else if ("/api/websocket/connection".equals(path)) {
            JsonObject websocket = new JsonObject().put("url", "ws://localhost:" + feedPort()).put("port", feedPort());
            request.response().putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("data", new JsonObject().put("websocket", websocket)).encode());
        } else {
            request.response().setStatusCode(404).end();
        }
    }

    private void handleHandshake(ServerWebSocketHandshake handshake) {
        upgradeRequests.incrementAndGet();
        upgradeTimesMillis.add(System.nanoTime() / 1_000_000);
        maxHandshakesInFlight.accumulateAndGet(handshakesInFlight.incrementAndGet(), Math::max);
        String offered = queryToken(handshake.query());
        tokensSeen.add(offered == null ? "" : offered);
        Runnable answer = () -> {
            handshakesInFlight.decrementAndGet();
            if (rejectStatus != 0) {
                handshake.reject(rejectStatus);
            } else if (!token.equals(offered)) {
                handshake.reject(401);
            } else {
                handshake.accept();
            }
        };
        if (upgradeDelayMillis > 0) {
            vertx.setTimer(upgradeDelayMillis, id -> answer.run());
        } else {
            answer.run();
        }
    }

    private void handleFeedSocket(ServerWebSocket socket) {
        if (socket.isClosed()) {
            // A delayed handshake accepted after the client gave up.
            return;
        }
        sockets.add(socket);
        maxOpenSockets.accumulateAndGet(sockets.size(), Math::max);
        socket.closeHandler(ignored -> sockets.remove(socket));
        if (closeOnAccept) {
            socket.close((short) 1000, "closing at once");
        }
        if (!answerPings) {
            channel(socket).channel().config().setAutoRead(false);
        }
    }

    /**
     * Returns the socket's Netty channel context. Vert.x replies to pings itself and has no public way to close a
     * socket without a close frame, so the fault controls reach the channel through this internal interface.
     */
    private static ChannelHandlerContext channel(ServerWebSocket socket) {
        return ((WebSocketInternal) socket).channelHandlerContext();
    }

    private static String queryToken(String query) {
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            if (parameter.startsWith("token=")) {
                return java.net.URLDecoder.decode(parameter.substring(6), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
