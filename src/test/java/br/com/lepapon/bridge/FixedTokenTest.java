package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.junit.jupiter.api.Test;

/** A fixed token (WS_AUTH_TOKEN) is used as is, the token endpoint is not called, and the token is never logged. */
class FixedTokenTest extends BridgeTestSupport {

    private static final String TOKEN = "fixed-invented-token-0123456789abcdef";
    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        simulator.useToken(TOKEN);
    }

    @Override
    protected Properties properties() {
        Properties properties = super.properties();
        properties.put("lepapon.token.auth-token", TOKEN);
        return properties;
    }

    @Test
    void fixedTokenIsUsedWithoutTheEndpoint() throws Exception {
        awaitConnected();
        context.stop();

        assertThat(simulator.tokenRequests()).isZero();
        assertThat(simulator.tokensSeen()).containsExactly(TOKEN);
        assertThat(logs.lines()).noneMatch(line -> line.contains(TOKEN));
    }
}
