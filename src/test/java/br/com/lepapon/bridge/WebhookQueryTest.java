package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** The query of WEBHOOK_URL reaches the webhook exactly as written, encoded characters and order included. */
class WebhookQueryTest extends BridgeTestSupport {

    private static final String QUERY = "sig=ab+cd%2Fef%3D%3D&key=a%26b";

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.webhook.url", receiver.url() + "?" + QUERY);
        return properties;
    }

    @Test
    void webhookQueryIsSentAsWritten() throws Exception {
        awaitConnected();
        simulator.send(Fixtures.frame("new_order.json"));

        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
        assertThat(receiver.requests().get(0).uri()).isEqualTo("/webhook?" + QUERY);
        assertThat(receiver.requests().get(0).answeredStatus()).isEqualTo(200);
    }
}
