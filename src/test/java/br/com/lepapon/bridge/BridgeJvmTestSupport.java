package br.com.lepapon.bridge;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Starts the bridge in a JVM of its own, pointed at the simulator and the webhook receiver on 127.0.0.1, for tests
 * that kill the process or give it a heap of its own. Also reads the fields of the orders the receiver got.
 */
final class BridgeJvm {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BridgeJvm() {
    }

    /**
     * Starts a bridge with the test's class path. The token and feed settings of the calling environment are removed,
     * so that nothing points at another host.
     *
     * @param jvmOptions options before the main class, such as {@code -Xmx64m}
     * @param settings   further environment variables, such as retry delays
     */
    static Process start(List<String> jvmOptions, PlatformSimulator simulator, WebhookReceiver receiver, Path dataDir,
            Path logFile, Map<String, String> settings) throws IOException {
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
        environment.put("DATA_DIR", dataDir.toString());
        environment.put("WEBHOOK_URL", receiver.url());
        environment.put("MANAGEMENT_PORT", Integer.toString(freePort()));
        environment.put("LOG_LEVEL", "INFO");
        environment.putAll(settings);
        builder.redirectErrorStream(true);
        builder.redirectOutput(logFile.toFile());
        return builder.start();
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
