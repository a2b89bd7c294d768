package br.com.lepapon.bridge.connection;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import io.vertx.core.Vertx;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code lepapon-feed:} component: a route that starts {@code from: lepapon-feed:platform} receives every frame
 * of the feed, in arrival order, with the {@link FrameDispatcher} headers. Starting the route connects, stopping it
 * closes the connection, so Camel's route controller can restart the feed. It takes no endpoint options: the
 * settings come from application.properties.
 */
public final class FeedComponent extends DefaultComponent {

    public static final String SCHEME = "lepapon-feed";

    private final BridgeSettings settings;
    private final Vertx vertx;
    private final BridgeMetrics metrics;
    private final AtomicReference<FeedStatus> status = new AtomicReference<>(FeedStatus.starting());

    public FeedComponent(BridgeSettings settings, Vertx vertx, BridgeMetrics metrics) {
        this.settings = settings;
        this.vertx = vertx;
        this.metrics = metrics;
        metrics.connectedGauge(() -> status.get().connected());
    }

    BridgeMetrics metrics() {
        return metrics;
    }

    /** Returns the connection state that the feed health check reports. */
    public AtomicReference<FeedStatus> status() {
        return status;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        return new FeedEndpoint(uri, this);
    }

    BridgeSettings settings() {
        return settings;
    }

    Vertx vertx() {
        return vertx;
    }
}
