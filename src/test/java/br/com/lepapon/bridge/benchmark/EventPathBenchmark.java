package br.com.lepapon.bridge.benchmark;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import br.com.lepapon.bridge.alarm.SilenceAlarm;
import br.com.lepapon.bridge.connection.FrameDispatcher;
import br.com.lepapon.bridge.events.FrameParser;
import br.com.lepapon.bridge.events.JsonLineFormatter;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/**
 * Times the bridge's own work for each event, in one thread and without Camel's routing, the sockets or the files:
 * {@link FrameParser} (parse, headers, summary, meters) and {@link JsonLineFormatter} (the file line) on the
 * benchmark's frame mix. It separates changes to that code from the noise of the whole-bridge benchmark. Arguments:
 * rounds (default 10) and frames per round (default 200,000); the first half of the rounds warm the JIT up and the
 * rest are timed.
 */
public final class EventPathBenchmark {

    private EventPathBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int framesPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
        BenchmarkFrames frames = new BenchmarkFrames(new FrameTracker(framesPerRound));
        String[] texts = new String[framesPerRound];
        for (int i = 0; i < framesPerRound; i++) {
            texts[i] = frames.next().text();
        }

        ZoneId zone = ZoneId.of("America/Sao_Paulo");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        FrameParser parser = new FrameParser(zone, new BridgeMetrics(registry), new SilenceAlarm(List.of(), zone,
                registry));
        JsonLineFormatter formatter = new JsonLineFormatter();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.start();
            long checksum = 0;
            for (int round = 1; round <= rounds; round++) {
                long start = System.nanoTime();
                for (String text : texts) {
                    Exchange exchange = new DefaultExchange(context);
                    exchange.getMessage().setBody(text);
                    exchange.getMessage().setHeader(FrameDispatcher.RECEIVED_AT_HEADER, Instant.now());
                    parser.process(exchange);
                    formatter.process(exchange);
                    checksum += exchange.getMessage().getBody(String.class).length();
                }
                double nanosPerEvent = (System.nanoTime() - start) / (double) texts.length;
                System.out.printf("round %d%s: %.2f µs per event%n", round, round <= rounds / 2 ? " (warm-up)" : "",
                        nanosPerEvent / 1000);
            }
            System.out.println("characters written: " + checksum);
        }
    }
}
