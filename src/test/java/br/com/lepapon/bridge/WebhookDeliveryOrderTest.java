package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import br.com.lepapon.bridge.simulator.WebhookReceiver.ReceivedRequest;
import br.com.lepapon.bridge.sinks.WebhookSignature;
import org.junit.jupiter.api.Test;

/**
 * The webhook outbox in a running bridge: per-session order, the bound on requests in flight, de-duplication across
 * a reconnect and 410 Gone, checked on what a real HTTP receiver got.
 */
class WebhookDeliveryOrderTest extends BridgeTestSupport {

    private static final String CUSTOMER_A = "5511900000001";
    private static final String CUSTOMER_B = "5511900000002";

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.webhook.concurrency", "2");
        return properties;
    }

    @Override
    protected boolean captureLogs() {
        return true;
    }

    private List<ReceivedRequest> delivered() {
        return receiver.requests().stream().filter(request -> request.answeredStatus() == 200).toList();
    }

    private static String orderId(ReceivedRequest request) {
        return parse(request.body()).path("orderId").asText();
    }

    private static String sessionId(ReceivedRequest request) {
        return parse(request.body()).path("sessionId").asText();
    }

    private List<String> journal() throws Exception {
        return Files.readAllLines(dataDir.resolve("outbox").resolve("webhook-outbox.jsonl"));
    }

    @Test
    void failingCustomerHoldsUpOnlyItsOwnOrders() throws Exception {
        awaitConnected();
        receiver.answerWhenBodyContains("\"sessionId\":\"" + CUSTOMER_A + "\"", 503);
        for (int i = 1; i <= 3; i++) {
            simulator.send(Fixtures.order(CUSTOMER_A, i));
            simulator.send(Fixtures.order(CUSTOMER_B, 100 + i));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> delivered().size() == 3);
        assertThat(delivered()).extracting(WebhookDeliveryOrderTest::orderId).containsExactly("101", "102", "103");
        // Customer A's first order is being retried; its later orders wait behind it.
        assertThat(receiver.requests()).filteredOn(request -> sessionId(request).equals(CUSTOMER_A))
                .isNotEmpty()
                .allMatch(request -> orderId(request).equals("1"));

        receiver.clearBodyRules();
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered().size() == 6);
        assertThat(delivered()).filteredOn(request -> sessionId(request).equals(CUSTOMER_A))
                .extracting(WebhookDeliveryOrderTest::orderId).containsExactly("1", "2", "3");
        WebhookSignature signature = new WebhookSignature("test-webhook-secret");
        for (ReceivedRequest request : receiver.requests()) {
            String id = request.headers().get("webhook-id");
            long timestamp = Long.parseLong(request.headers().get("webhook-timestamp"));
            assertThat(request.headers().get("webhook-signature"))
                    .isEqualTo(signature.sign(id, timestamp, request.body().getBytes(StandardCharsets.UTF_8)));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> journal().stream().filter(line ->
                line.contains("\"op\":\"done\"")).count() == 6);
    }

    @Test
    void requestsInFlightAreBounded() throws Exception {
        awaitConnected();
        receiver.delayResponses(1_000);
        for (int i = 1; i <= 6; i++) {
            simulator.send(Fixtures.order("55119000000" + (10 + i), i));
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.requests().size() == 2);
        Thread.sleep(500);
        assertThat(receiver.requests()).hasSize(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.responses() == 6);
        assertThat(receiver.requests()).hasSize(6);
    }

    @Test
    void repeatedOrderIsPostedOnceAcrossReconnect() throws Exception {
        awaitConnected();
        simulator.send(Fixtures.order(CUSTOMER_A, 7));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered().size() == 1);

        simulator.dropConnections();
        awaitConnectedAfter(2);
        simulator.send(Fixtures.order(CUSTOMER_A, 7));
        simulator.send(Fixtures.order(CUSTOMER_B, 7));
        await().atMost(Duration.ofSeconds(5)).until(() -> delivered().size() == 2);
        Thread.sleep(300);

        assertThat(receiver.requests()).extracting(WebhookDeliveryOrderTest::sessionId)
                .containsExactly(CUSTOMER_A, CUSTOMER_B);
        assertThat(lines("new_order.jsonl")).hasSize(3);
        assertThat(logs.lines()).anyMatch(line -> line.contains("Order 7 of session 5511*****0001 was accepted before"));
    }

    @Test
    void goneStopsDeliveriesAndKeepsOrders() throws Exception {
        awaitConnected();
        receiver.answerNext(410, Map.of());
        simulator.send(Fixtures.order(CUSTOMER_A, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.requests().size() == 1);
        simulator.send(Fixtures.order(CUSTOMER_A, 2));
        simulator.send(Fixtures.order(CUSTOMER_B, 3));
        await().atMost(Duration.ofSeconds(5)).until(() -> journal().size() == 3);
        // Retries here are 50 to 200 ms apart, so a delivery that was not stopped would show within a second.
        Thread.sleep(1_000);

        assertThat(receiver.requests()).hasSize(1);
        assertThat(journal()).allMatch(line -> line.contains("\"op\":\"add\""));
        assertThat(lines("webhook-dead-letters.jsonl")).isEmpty();
        assertThat(logs.lines()).anyMatch(line -> line.contains("answered 410 Gone")
                && line.contains("stopped all deliveries"));
    }

    @Test
    void stopKeepsPendingOrdersInTheOutbox() throws Exception {
        awaitConnected();
        receiver.answerAll(503);
        simulator.send(Fixtures.order(CUSTOMER_A, 1));
        simulator.send(Fixtures.order(CUSTOMER_B, 2));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() >= 2);

        context.stop();

        assertThat(journal()).hasSize(2).allMatch(line -> line.contains("\"op\":\"add\""));
        assertThat(lines("webhook-dead-letters.jsonl")).isEmpty();
        assertThat(logs.lines()).anyMatch(line -> line.contains("Stopped with 2 orders waiting for the webhook"));
    }

    @Test
    void blankOrderIdIsNeverADuplicate() throws Exception {
        awaitConnected();
        String order = "{\"event\":\"new_order\",\"data\":{\"session_id\":\"" + CUSTOMER_A
                + "\",\"novo\":{\"orderId\":\" \",\"totalValue\":10}}}";
        simulator.send(order);
        simulator.send(order);

        await().atMost(Duration.ofSeconds(5)).until(() -> delivered().size() == 2);
        assertThat(receiver.requests()).extracting(request -> request.headers().get("webhook-id"))
                .doesNotHaveDuplicates();
    }
}
