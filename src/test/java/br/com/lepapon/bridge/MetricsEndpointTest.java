package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Prometheus metrics scraped over HTTP match what the simulator sent and how the webhook responded. */
class MetricsEndpointTest extends BridgeTestSupport {

    private List<String> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = getManagement("/observe/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().lines().filter(line -> !line.startsWith("#")).toList();
    }

    /** Returns the value of the sample whose name and labels start with {@code prefix}, or -1. */
    private double sample(String prefix) throws IOException, InterruptedException {
        return scrape().stream().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst().orElse(-1);
    }

    @Test
    void metricsMatchWhatWasSent() throws Exception {
        awaitConnected();
        receiver.answerNext(500, Map.of());
        for (int i = 1; i <= 3; i++) {
            simulator.send(Fixtures.order("5511900000001", i));
        }
        simulator.send(Fixtures.frame("new_message.json"));
        simulator.send(Fixtures.frame("new_message.json"));
        simulator.send("not json");
        for (int i = 0; i < 100; i++) {
            simulator.send("{\"event\":\"hostile_" + i + "\"}");
        }
        // The platform sends the first order again: counted as received, not posted again.
        simulator.send(Fixtures.order("5511900000001", 1));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 4);
        simulator.dropConnections();
        awaitConnectedAfter(2);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(sample("lepapon_frames_received_total{event=\"new_order\"")).isEqualTo(4);
            assertThat(sample("lepapon_webhook_deliveries_total{outcome=\"delivered\"")).isEqualTo(3);
        });
        assertThat(sample("lepapon_webhook_deliveries_total{outcome=\"duplicate\"")).isEqualTo(1);
        assertThat(sample("lepapon_webhook_outbox_pending")).isEqualTo(0);
        assertThat(sample("lepapon_frames_received_total{event=\"new_message\"")).isEqualTo(2);
        assertThat(sample("lepapon_invalid_frames_total")).isEqualTo(1);
        assertThat(sample("lepapon_webhook_deliveries_total{outcome=\"retried\"")).isEqualTo(1);
        assertThat(sample("lepapon_reconnects_total{reason=\"connection_lost\"")).isEqualTo(1);
        assertThat(sample("lepapon_feed_connected")).isEqualTo(1);
        assertThat(sample("lepapon_token_age_seconds")).isGreaterThanOrEqualTo(0);
        assertThat(sample("lepapon_seconds_since_last_event")).isGreaterThanOrEqualTo(0);
        long eventSeries = scrape().stream().filter(line -> line.startsWith("lepapon_frames_received_total{")).count();
        // new_order, new_message, 32 hostile types and the overflow label
        assertThat(eventSeries).isEqualTo(35);
        assertThat(sample("lepapon_frames_received_total{event=\"other-types\"")).isEqualTo(100 - 32);
    }

}
