package br.com.lepapon.bridge.simulator;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A webhook endpoint on loopback that records and logs every request. It responds with 200 unless responses were
 * queued with {@link #answerNext}, which are used one per request, in order.
 */
public final class WebhookReceiver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

    private final Vertx vertx = Vertx.vertx();
    private final List<ReceivedRequest> requests = new CopyOnWriteArrayList<>();
    private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger responses = new AtomicInteger();
    private final Map<String, Integer> statusByBodyText = new ConcurrentHashMap<>();
    private volatile int defaultStatus = 200;
    private volatile long responseDelayMillis;
    private volatile Consumer<ReceivedRequest> listener;
    private HttpServer server;

    /** Starts listening on 127.0.0.1; port 0 picks a free port. */
    public WebhookReceiver start(int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(this::handle)
                .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("Webhook receiver listening on {}", url());
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/webhook";
    }

    /** Queues the response for one future request; {@code headers} are added to the response. */
    public void answerNext(int status, Map<String, String> headers) {
        answers.add(new Answer(status, headers));
    }

    /** Sets the status of responses that no queued response or body rule sets, 200 at first. */
    public void answerAll(int status) {
        defaultStatus = status;
    }

    /**
     * Responds with {@code status} to every request whose body contains {@code text}, like a receiver that fails
     * for one customer, until {@link #clearBodyRules}. Queued responses go first.
     */
    public void answerWhenBodyContains(String text, int status) {
        statusByBodyText.put(text, status);
    }

    public void clearBodyRules() {
        statusByBodyText.clear();
    }

    /** Delays every response by {@code millis}, like a slow receiver; the request is recorded at once. */
    public void delayResponses(long millis) {
        responseDelayMillis = millis;
    }

    /**
     * Passes each request to {@code listener} as soon as its body has arrived, on the receiver's event loop, instead
     * of keeping it for {@link #requests}, so that long runs keep no list of requests.
     */
    public void sendRequestsTo(Consumer<ReceivedRequest> listener) {
        this.listener = listener;
    }

    /** Returns how many responses were sent. */
    public int responses() {
        return responses.get();
    }

    public List<ReceivedRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
            Answer answer = answers.poll();
            int status = answer == null ? statusFor(body.toString()) : answer.status();
            ReceivedRequest received =
                    new ReceivedRequest(request.method().name(), request.uri(), headers, body.toString(), status);
            Consumer<ReceivedRequest> target = listener;
            if (target == null) {
                requests.add(received);
            } else {
                target.accept(received);
            }
            LOG.info("Webhook received {} {} ({} bytes, webhook-id {}), answering {}", request.method(),
                    request.path(), body.length(), headers.get("webhook-id"), status);
            var response = request.response().setStatusCode(status);
            if (answer != null) {
                answer.headers().forEach(response::putHeader);
            }
            if (responseDelayMillis > 0) {
                vertx.setTimer(responseDelayMillis,
                        id -> response.end().onComplete(done -> responses.incrementAndGet()));
            } else {
                response.end().onComplete(done -> responses.incrementAndGet());
            }
        });
    }

    private int statusFor(String body) {
        for (Map.Entry<String, Integer> rule : statusByBodyText.entrySet()) {
            if (body.contains(rule.getKey())) {
                return rule.getValue();
            }
        }
        return defaultStatus;
    }

    /** A request as received: {@code uri} is the path and query as sent, and header names are case-insensitive. */
    public record ReceivedRequest(String method, String uri, Map<String, String> headers, String body,
            int answeredStatus) {
    }

    private record Answer(int status, Map<String, String> headers) {
    }
}
