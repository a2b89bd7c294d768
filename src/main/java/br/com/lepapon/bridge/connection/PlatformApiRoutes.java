package br.com.lepapon.bridge.connection;

import br.com.lepapon.bridge.HttpEndpoints;
import br.com.lepapon.bridge.config.BridgeSettings;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Routes that call the platform's HTTP API: {@code direct:fetch-token} returns a {@link FeedToken} and
 * {@code direct:fetch-connection-info} returns the normalised feed {@link java.net.URI}. Failures are thrown to the
 * caller, which decides whether to retry, so these routes have no error handler of their own.
 */
public class PlatformApiRoutes extends RouteBuilder {

    public static final String FETCH_TOKEN = "direct:fetch-token";
    public static final String FETCH_CONNECTION_INFO = "direct:fetch-connection-info";

    private final BridgeSettings settings;

    public PlatformApiRoutes(BridgeSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() {
        from(FETCH_TOKEN).routeId("token-fetch")
                .errorHandler(noErrorHandler())
                .choice()
                    .when(exchange -> settings.fixedToken().isPresent())
                        .process(exchange -> exchange.getMessage().setBody(TokenResponseReader.fixed(settings)))
                    .otherwise()
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                        .process(exchange -> prepare(exchange, settings.tokenEndpoint()))
                        .to(HttpEndpoints.withTimeouts(settings.tokenEndpoint(), settings.httpTimeout()))
                        .process(new TokenResponseReader())
                .end();

        from(FETCH_CONNECTION_INFO).routeId("connection-info-fetch")
                .errorHandler(noErrorHandler())
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                .process(exchange -> prepare(exchange, settings.connectionInfoEndpoint()))
                .to(HttpEndpoints.withTimeouts(settings.connectionInfoEndpoint(), settings.httpTimeout()))
                .process(new ConnectionInfoReader(settings.connectionInfoEndpoint().getHost()));
    }

    private void prepare(Exchange exchange, java.net.URI target) {
        HttpEndpoints.setQuery(exchange.getMessage(), target);
        settings.tokenApiKey().ifPresent(key -> exchange.getMessage().setHeader("x-api-key", key));
    }

}
