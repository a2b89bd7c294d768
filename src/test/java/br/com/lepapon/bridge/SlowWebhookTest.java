package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A webhook that takes seconds to respond does not hold up the daily files. */
class SlowWebhookTest extends BridgeTestSupport {

    private static final int ORDERS = 8;

    @Test
    void slowWebhookDoesNotDelayFiles() throws Exception {
        awaitConnected();
        receiver.delayResponses(3_000);
        for (int i = 0; i < ORDERS; i++) {
            simulator.send(Fixtures.order("55119000000" + (10 + i), i));
            simulator.send(Fixtures.frame("new_message.json"));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> lines("new_message.jsonl").size() == ORDERS);
        assertThat(lines("new_order.jsonl")).hasSize(ORDERS);
        assertThat(receiver.responses()).isLessThan(ORDERS);

        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.responses() == ORDERS);
        assertThat(lines("webhook-dead-letters.jsonl")).isEmpty();
    }
}
