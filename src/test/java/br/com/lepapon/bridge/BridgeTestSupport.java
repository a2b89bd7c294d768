package br.com.lepapon.bridge;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;

import br.com.lepapon.bridge.simulator.PlatformSimulator;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real application (BridgeConfiguration and the YAML routes in routes/) against a platform simulator and a
 * webhook receiver on 127.0.0.1, with short delays. Subclasses adjust {@link #properties} and {@link #startSimulator}.
 */
public abstract class BridgeTestSupport extends CamelMainTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();
    protected static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    @TempDir
    protected Path dataDir;
    /** A copy of routes/ for tests that change the routes; see {@link #copyRoutes}. */
    @TempDir
    protected Path routesDir;
    /** Every log event of the test, at DEBUG, when {@link #captureLogs} returns true. */
    protected LogCapture logs;
    /** The port of the health and metrics endpoints, free when the test starts. */
    protected int managementPort;
    private final HttpClient http = HttpClient.newHttpClient();
    protected PlatformSimulator simulator;
    protected WebhookReceiver receiver;
    // Filled in setupResources, once the servers have ports. No initializer: CamelTestSupport's constructor reads it.
    private Properties overrides;

    @Override
    protected void setupResources() throws Exception {
        if (captureLogs()) {
            logs = new LogCapture().start();
        }
        super.setupResources();
        simulator = createSimulator();
        if (startSimulator()) {
            simulator.start(0, 0);
        }
        receiver = new WebhookReceiver().start(0);
        overrides().putAll(properties());
    }

    /** Stops the bridge before the servers, so it does not see them go away. */
    @Override
    protected void cleanupResources() throws Exception {
        if (context != null) {
            context.stop();
        }
        super.cleanupResources();
        if (receiver != null) {
            receiver.close();
        }
        if (simulator != null) {
            simulator.close();
        }
        if (logs != null) {
            logs.stop();
        }
    }

    /** Returns true to capture the log of the whole test in {@link #logs}. */
    protected boolean captureLogs() {
        return false;
    }

    /**
     * Copies the project's routes/ into {@link #routesDir} and returns the copy of {@code fileName}, for a test to
     * change; return {@code "file:" + routesDir + "/*.yaml"} from {@link #routesIncludePattern} to load the copies.
     */
    protected Path copyRoutes(String fileName) throws IOException {
        copyProjectRoutes(routesDir);
        return routesDir.resolve(fileName);
    }

    /** Copies every file of the project's routes/ into {@code target}. */
    static void copyProjectRoutes(Path target) throws IOException {
        try (java.util.stream.Stream<Path> routes = Files.list(Path.of("routes"))) {
            for (Path route : routes.toList()) {
                Files.copy(route, target.resolve(route.getFileName()));
            }
        }
    }

    protected PlatformSimulator createSimulator() {
        return new PlatformSimulator();
    }

    /** Returns false to start the simulator later in the test. */
    protected boolean startSimulator() {
        return true;
    }

    /** Returns the routes the application loads; the project's routes/ folder by default. */
    protected String routesIncludePattern() {
        return "file:routes/*.yaml";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(BridgeConfiguration.class);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        configuration.withUseOverridePropertiesWithPropertiesComponent(overrides());
    }

    private Properties overrides() {
        if (overrides == null) {
            overrides = new Properties();
        }
        return overrides;
    }

    protected Properties properties() {
        Properties properties = new Properties();
        properties.put("camel.main.routes-include-pattern", routesIncludePattern());
        // Port 1 on loopback refuses connections: a test whose discovery fails must not reach the real platform.
        properties.put("lepapon.feed.fallback-url", "ws://127.0.0.1:1");
        // A free port each, so tests never share the management server.
        managementPort = freePort();
        properties.put("camel.management.port", Integer.toString(managementPort));
        if (startSimulator()) {
            properties.put("lepapon.token.endpoint", simulator.tokenEndpoint());
            properties.put("lepapon.feed.connection-info-endpoint", simulator.connectionInfoEndpoint());
        }
        properties.put("lepapon.data-dir", dataDir.toString());
        properties.put("lepapon.timezone", ZONE.getId());
        properties.put("lepapon.webhook.url", receiver.url());
        properties.put("lepapon.webhook.secret", "test-webhook-secret");
        properties.put("lepapon.webhook.retry-delay", "0.05");
        properties.put("lepapon.webhook.retry-max-delay", "0.2");
        properties.put("lepapon.feed.reconnect-delay", "0.1");
        properties.put("lepapon.feed.reconnect-max-delay", "0.5");
        properties.put("lepapon.feed.connect-timeout", "5");
        properties.put("lepapon.http.timeout", "5");
        return properties;
    }

    protected void awaitConnected() {
        await().atMost(Duration.ofSeconds(20)).until(() -> simulator.openSockets() == 1);
    }

    /** Waits until the simulator has seen {@code handshakes} handshakes in all and one socket is open. */
    protected void awaitConnectedAfter(int handshakes) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> simulator.upgradeRequests() == handshakes && simulator.openSockets() == 1);
    }

    /** Returns the lines of today's file {@code name} (for example {@code new_order.jsonl}), or none. */
    protected List<String> lines(String name) throws IOException {
        Path file = dataDir.resolve(LocalDate.now(ZONE).toString()).resolve(name);
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Sends a GET to the management port, for example {@code /observe/health/ready}. */
    protected HttpResponse<String> getManagement(String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + managementPort + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Returns a port on 127.0.0.1 that was free a moment ago. */
    protected static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected List<JsonNode> records(String name) throws IOException {
        return lines(name).stream().map(BridgeTestSupport::parse).toList();
    }

    protected static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
