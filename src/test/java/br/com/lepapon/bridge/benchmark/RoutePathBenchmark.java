package br.com.lepapon.bridge.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;

import br.com.lepapon.bridge.BridgeApplication;
import br.com.lepapon.bridge.BridgeConfiguration;
import br.com.lepapon.bridge.connection.FeedComponent;
import br.com.lepapon.bridge.connection.FrameDispatcher;
import br.com.lepapon.bridge.simulator.WebhookReceiver;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * Times the frame dispatcher's work for each event: the default routes from {@code direct:feed-frame} in one thread
 * (parsing, the router, the log lines, queueing each line for the file writer, and the webhook sink's outbox write
 * and queueing), on the benchmark's frame mix. It reports the sending thread's CPU time per event, which other load
 * on the machine changes far less than the whole-bridge benchmark's events per second. The file writer, the webhook
 * senders and a webhook receiver on 127.0.0.1 run on their own threads. The senders' CPU time is reported apart, per
 * webhook request.
 *
 * <p>Run it from the project folder, with the log sent to a file:
 * {@code java -cp "target/test-classes:target/lepapon-bridge.jar:target/lib/*"
 * br.com.lepapon.bridge.benchmark.RoutePathBenchmark [ROUNDS] [FRAMES] > route-path.log}. The first half of the
 * rounds warm the JIT up; each round waits for the webhook to take its orders. The results go to standard error.
 */
public final class RoutePathBenchmark {

    private RoutePathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int framesPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        BenchmarkFrames frames = new BenchmarkFrames(new FrameTracker(rounds * framesPerRound));
        Path dataDir = Files.createTempDirectory("route-path-benchmark-");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        try (WebhookReceiver receiver = new WebhookReceiver().start(0)) {
            Main main = new Main();
            main.configure().addConfiguration(BridgeConfiguration.class);
            main.setDefaultPropertyPlaceholderLocation(BridgeApplication.PROPERTIES_LOCATION);
            main.setOverrideProperties(settings(dataDir, receiver.url()));
            main.start();
            try {
                CamelContext context = main.getCamelContext();
                ProducerTemplate template = context.createProducerTemplate();
                Endpoint router = context.getEndpoint("direct:feed-frame");
                for (int round = 1; round <= rounds; round++) {
                    BenchmarkFrames.Frame[] batch = frames.next(framesPerRound);
                    int requestsBefore = receiver.requests().size();
                    long sendersStart = sendersCpuNanos(threads);
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    long wallStart = System.nanoTime();
                    for (BenchmarkFrames.Frame frame : batch) {
                        template.sendBodyAndHeader(router, frame.text(), FrameDispatcher.RECEIVED_AT_HEADER,
                                Instant.now());
                    }
                    double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / framesPerRound;
                    double wallMicros = (System.nanoTime() - wallStart) / 1e3 / framesPerRound;
                    int orders = awaitWebhookQuiet(receiver, requestsBefore);
                    double senderMicros = (sendersCpuNanos(threads) - sendersStart) / 1e3 / Math.max(1, orders);
                    System.err.printf("round %d%s: %.2f µs CPU and %.2f µs wall per event in the sending thread;"
                                    + " %,d webhook requests, %.0f µs webhook-sender CPU per request%n", round,
                            round <= rounds / 2 ? " (warm-up)" : "", cpuMicros, wallMicros, orders, senderMicros);
                }
            } finally {
                main.stop();
            }
        }
    }

    /**
     * Returns the bridge's settings: no feed route, the management port off, files under {@code dataDir}, orders to
     * the local receiver, and room for every order of a round to wait for the webhook.
     */
    private static Properties settings(Path dataDir, String webhookUrl) {
        Properties properties = new Properties();
        properties.put("camel.main.auto-startup-exclude-pattern", FeedComponent.SCHEME + ":*");
        properties.put("camel.management.enabled", "false");
        properties.put("lepapon.data-dir", dataDir.toString());
        properties.put("lepapon.webhook.url", webhookUrl);
        properties.put("lepapon.webhook.max-pending", "1000000");
        return properties;
    }

    /** Returns the CPU time that the bridge's webhook-sender threads have used so far. */
    private static long sendersCpuNanos(ThreadMXBean threads) {
        long total = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith("webhook-sender-")) {
                total += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return total;
    }

    /** Waits until no webhook request has arrived for a second and returns how many arrived since {@code before}. */
    private static int awaitWebhookQuiet(WebhookReceiver receiver, int before) throws InterruptedException {
        int seen = -1;
        while (receiver.requests().size() != seen) {
            seen = receiver.requests().size();
            Thread.sleep(1_000);
        }
        return seen - before;
    }
}
