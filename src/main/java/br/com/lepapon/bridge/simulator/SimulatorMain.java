package br.com.lepapon.bridge.simulator;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs only the platform simulator and a webhook receiver on 127.0.0.1, sending a sample event every 500 ms, so a
 * bridge started separately (for example the packaged jar) can be pointed at them. Arguments: API port, feed port,
 * webhook port; 0 or nothing picks free ports. Stops on Ctrl-C.
 */
public final class SimulatorMain {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorMain.class);

    private SimulatorMain() {
    }

    public static void main(String[] args) throws Exception {
        int apiPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int feedPort = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int webhookPort = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        PlatformSimulator simulator = new PlatformSimulator().start(apiPort, feedPort);
        WebhookReceiver receiver = new WebhookReceiver().start(webhookPort);
        SampleEvents samples = new SampleEvents();
        simulator.vertx().setPeriodic(500, id -> simulator.send(samples.next()));
        LOG.info("Point the bridge here: WS_TOKEN_ENDPOINT={} WS_CONNECTION_INFO_ENDPOINT={} WS_FALLBACK_URL={}"
                + " WEBHOOK_URL={}", simulator.tokenEndpoint(), simulator.connectionInfoEndpoint(), simulator.feedUrl(),
                receiver.url());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                receiver.close();
                simulator.close();
            } catch (Exception e) {
                LOG.warn("Simulator did not stop cleanly: {}", e.toString());
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
