package br.com.lepapon.bridge;

import br.com.lepapon.bridge.alarm.SilenceAlarm;
import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.connection.FeedComponent;
import br.com.lepapon.bridge.connection.FeedHealthCheck;
import br.com.lepapon.bridge.connection.PlatformApiRoutes;
import br.com.lepapon.bridge.events.FrameParser;
import br.com.lepapon.bridge.events.JsonLineFormatter;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import br.com.lepapon.bridge.sinks.JsonLinesWriter;
import br.com.lepapon.bridge.sinks.WebhookDelivery;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStartedEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppedEvent;
import org.apache.camel.spi.CamelEvent.CamelContextStoppingEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the bridge into Camel Main: reads the settings, binds the beans that the YAML routes refer to
 * ({@code frameParser}, {@code jsonLine}, {@code jsonLinesWriter}, {@code webhookDelivery}), adds the platform API
 * routes and the {@code lepapon-feed:} component. On shutdown the feed routes stop first, so frames already received
 * are routed while the other routes still run. The file writer stops last, once every route has stopped.
 */
public class BridgeConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        BridgeSettings.checkEnvironment(System.getenv());
        BridgeSettings settings = BridgeSettings.load(key -> context.getPropertiesComponent().resolveProperty(key));
        LOG.info("Starting with {}", settings);

        MeterRegistry meterRegistry = meterRegistry(context);
        BridgeMetrics metrics = new BridgeMetrics(meterRegistry);
        SilenceAlarm alarm = new SilenceAlarm(settings.silenceRules(), settings.timezone(), meterRegistry);
        alarm.start();
        WebhookDelivery webhook = new WebhookDelivery(settings, context, metrics);
        if (!webhook.isEnabled()) {
            LOG.info("Webhook sink disabled: WEBHOOK_URL is not set");
        }
        JsonLinesWriter fileWriter = new JsonLinesWriter(settings.dataDir(), settings.timezone(), metrics);
        fileWriter.start();
        disableHiddenHttpRetries(context);
        context.getRegistry().bind("bridgeSettings", settings);
        context.getRegistry().bind("frameParser", new FrameParser(settings.timezone(), metrics, alarm));
        context.getRegistry().bind("jsonLine", new JsonLineFormatter());
        context.getRegistry().bind("jsonLinesWriter", fileWriter);
        context.getRegistry().bind("webhookDelivery", webhook);
        context.addRoutes(new PlatformApiRoutes(settings));

        Vertx vertx = Vertx.vertx();
        FeedComponent feed = new FeedComponent(settings, vertx, metrics);
        context.addComponent(FeedComponent.SCHEME, feed);
        HealthCheckRegistry.get(context).register(new FeedHealthCheck(feed.status(), settings.readinessGrace(), alarm));
        context.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) throws Exception {
                if (event instanceof CamelContextStartedEvent) {
                    webhook.start();
                }
                if (event instanceof CamelContextStoppingEvent) {
                    stopFeedRoutes(context);
                    alarm.stop();
                    webhook.stop();
                    vertx.close();
                } else if (event instanceof CamelContextStoppedEvent) {
                    fileWriter.stop();
                }
            }
        });
    }

    /**
     * Stops the routes that consume the feed before Camel stops the others, so that the frames already received
     * still find the router and the sinks running.
     */
    private static void stopFeedRoutes(CamelContext context) throws Exception {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint().getEndpointUri().startsWith(FeedComponent.SCHEME + ":")) {
                context.getRouteController().stopRoute(route.getRouteId());
            }
        }
    }

    /**
     * Returns the registry that Camel's metrics support scrapes, binding a new one under Camel's name when Camel has
     * not created it yet (Camel then takes the bound one), so the bridge's meters appear in the same scrape.
     */
    private static MeterRegistry meterRegistry(CamelContext context) {
        MeterRegistry existing = context.getRegistry()
                .lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME, MeterRegistry.class);
        if (existing != null) {
            return existing;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, created);
        return created;
    }

    /**
     * Turns off Apache HttpClient's own retries (it repeats 429 and 503 responses and some I/O errors by itself), so
     * that every attempt is one the bridge counts, logs and spaces out.
     */
    private static void disableHiddenHttpRetries(CamelContext context) {
        for (String scheme : new String[] {"http", "https"}) {
            context.getComponent(scheme, HttpComponent.class).setAutomaticRetriesDisabled(true);
        }
    }
}
