package br.com.lepapon.bridge.connection;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Optional;

import br.com.lepapon.bridge.config.BridgeSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Reads the token endpoint's response, {@code {"token":"...","expiresIn":3600}}, into a {@link FeedToken}. */
final class TokenResponseReader implements Processor {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static FeedToken fixed(BridgeSettings settings) {
        return new FeedToken(settings.fixedToken().orElseThrow(), Optional.empty());
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        JsonNode response = readJson(exchange);
        JsonNode token = response.path("token");
        if (!token.isTextual() || token.asText().isBlank()) {
            throw new PlatformApiException("Token endpoint response has no non-empty 'token' string");
        }
        JsonNode expiresIn = response.path("expiresIn");
        Optional<Instant> expiresAt = expiresIn.isNumber() && expiresIn.asLong() > 0
                ? Optional.of(Instant.now().plusSeconds(expiresIn.asLong()))
                : Optional.empty();
        exchange.getMessage().setBody(new FeedToken(token.asText(), expiresAt));
    }

    /** Parses the body as a JSON object; the message never includes the body, which may hold a token. */
    static JsonNode readJson(Exchange exchange) throws IOException {
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            if (body == null) {
                throw new PlatformApiException("Platform API response has an empty body");
            }
            JsonNode json = MAPPER.readTree(body);
            if (json == null || !json.isObject()) {
                throw new PlatformApiException("Platform API response is not a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PlatformApiException("Platform API response is not valid JSON");
        }
    }
}
