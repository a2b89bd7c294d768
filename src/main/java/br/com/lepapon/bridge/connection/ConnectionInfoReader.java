package br.com.lepapon.bridge.connection;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Reads the connection-info response, {@code {"data":{"websocket":{"url":"ws://localhost:3001","port":3001}}}},
 * into a normalised feed URI. When {@code url} is missing, the URI is built from {@code port}.
 */
final class ConnectionInfoReader implements Processor {

    private final String publicHost;

    ConnectionInfoReader(String publicHost) {
        this.publicHost = publicHost;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        JsonNode websocket = TokenResponseReader.readJson(exchange).path("data").path("websocket");
        JsonNode url = websocket.path("url");
        JsonNode port = websocket.path("port");
        String discovered;
        if (url.isTextual() && !url.asText().isBlank()) {
            discovered = url.asText();
        } else if (port.canConvertToInt() && port.asInt() > 0 && port.asInt() < 65536) {
            discovered = "ws://localhost:" + port.asInt();
        } else {
            throw new PlatformApiException("Connection-info response has neither data.websocket.url nor a valid port");
        }
        exchange.getMessage().setBody(FeedUris.normalise(discovered, publicHost));
    }
}
