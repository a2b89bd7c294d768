package br.com.lepapon.bridge.sinks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    @Test
    void signatureMatchesTheStandardWebhooksExample() {
        // The example of the Standard Webhooks specification, also checked with openssl dgst -hmac.
        WebhookSignature signature = new WebhookSignature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String signed = signature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));
        assertThat(signed).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void plainSecretIsUsedAsUtf8Bytes() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        String plain = new WebhookSignature("not-base64!").sign("msg_1", 1L, body);
        String other = new WebhookSignature("not-base64?").sign("msg_1", 1L, body);
        assertThat(plain).startsWith("v1,").isNotEqualTo(other);
    }
}
