package br.com.lepapon.bridge.simulator;

import br.com.lepapon.bridge.BridgeApplication;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the bridge against the simulator: starts the platform simulator and a webhook receiver on 127.0.0.1,
 * sends a mix of sample events every 500 ms, and runs the bridge pointed at them until Ctrl-C. The bridge uses
 * application.properties as usual, so DATA_DIR and the other settings still apply.
 */
public final class DemoMain {

    private static final Logger LOG = LoggerFactory.getLogger(DemoMain.class);
    private static final long FRAME_INTERVAL_MILLIS = 500;

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        PlatformSimulator simulator = new PlatformSimulator().start(0, 0);
        WebhookReceiver receiver = new WebhookReceiver().start(0);
        SampleEvents samples = new SampleEvents();
        simulator.vertx().setPeriodic(FRAME_INTERVAL_MILLIS, id -> simulator.send(samples.next()));

        System.setProperty("lepapon.token.endpoint", simulator.tokenEndpoint());
        System.setProperty("lepapon.feed.connection-info-endpoint", simulator.connectionInfoEndpoint());
        System.setProperty("lepapon.feed.fallback-url", simulator.feedUrl());
        System.setProperty("lepapon.webhook.url", receiver.url());
        LOG.info("Demo: events go to the files under DATA_DIR (default ./data) and orders to {}", receiver.url());
        int exitCode = BridgeApplication.run(args);
        receiver.close();
        simulator.close();
        System.exit(exitCode);
    }
}
