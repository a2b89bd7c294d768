package br.com.lepapon.bridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the tests that run the bridge in a JVM of its own, to kill the process or give it a heap of its own. Each
 * test gets the simulator and the webhook receiver on 127.0.0.1 and a work folder with the bridge's data and logs.
 */
abstract class BridgeJvmTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    PlatformSimulator simulator;
    WebhookReceiver receiver;
    /** The bridge process last started; stopped after each test. */
    Process bridge;

    @BeforeEach
    void startPlatform() throws Exception {
        simulator = new PlatformSimulator().start(0, 0);
        receiver = new WebhookReceiver().start(0);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (bridge != null && bridge.isAlive()) {
            bridge.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        receiver.close();
        simulator.close();
    }

    /**
     * Starts a bridge with the test's class path, its data in {@code work/data} and its output in {@code work/logName}.
     * The token and feed settings of the calling environment are removed, so that nothing points at another host.
     *
     * @param jvmOptions options before the main class, such as {@code -Xmx64m}
     * @param settings   further environment variables, such as retry delays
     */
    Process startBridge(List<String> jvmOptions, String logName, Map<String, String> settings) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BridgeApplication.class.getName()));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        for (String secret : List.of("WS_AUTH_TOKEN", "WEBSOCKET_TOKEN", "WS_URL", "WS_TOKEN_API_KEY")) {
            environment.remove(secret);
        }
        environment.put("WS_TOKEN_ENDPOINT", simulator.tokenEndpoint());
        environment.put("WS_CONNECTION_INFO_ENDPOINT", simulator.connectionInfoEndpoint());
        environment.put("WS_FALLBACK_URL", "ws://127.0.0.1:1");
        environment.put("DATA_DIR", work.resolve("data").toString());
        environment.put("WEBHOOK_URL", receiver.url());
        environment.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("LOG_LEVEL", "INFO");
        environment.putAll(settings);
        builder.redirectErrorStream(true);
        builder.redirectOutput(work.resolve(logName).toFile());
        return builder.start();
    }

    /** Returns the requests to which the receiver responded with 200. */
    List<ReceivedRequest> delivered() {
        return receiver.requests().stream().filter(request -> request.answeredStatus() == 200).toList();
    }

    static String orderId(ReceivedRequest request) {
        return body(request).path("orderId").asText();
    }

    static String sessionId(ReceivedRequest request) {
        return body(request).path("sessionId").asText();
    }

    static JsonNode body(ReceivedRequest request) {
        try {
            return JSON.readTree(request.body());
        } catch (IOException e) {
            throw new IllegalStateException("Webhook body is not JSON: " + request.body(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
