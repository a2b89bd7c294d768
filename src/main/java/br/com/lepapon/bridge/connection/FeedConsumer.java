package br.com.lepapon.bridge.connection;

import java.util.Base64;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a {@link FeedSupervisor} while its route runs and passes each received frame to the route. */
final class FeedConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(FeedConsumer.class);

    private FeedSupervisor supervisor;

    FeedConsumer(FeedEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    public FeedEndpoint getEndpoint() {
        return (FeedEndpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        FeedComponent component = getEndpoint().getComponent();
        supervisor = new FeedSupervisor(component.settings(), getEndpoint().getCamelContext(), component.vertx(),
                component.status(), component.metrics(), this::route);
        supervisor.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (supervisor != null) {
            supervisor.stop();
            supervisor = null;
        }
        super.doStop();
    }

    private void route(ReceivedFrame frame) {
        Exchange exchange = createExchange(false);
        Message message = exchange.getMessage();
        message.setBody(frame.text());
        message.setHeader(FrameDispatcher.RECEIVED_AT_HEADER, frame.receivedAt());
        frame.decodingError().ifPresent(error -> message.setHeader(FrameDispatcher.DECODING_ERROR_HEADER, error));
        frame.bytes().ifPresent(bytes -> message.setHeader(FrameDispatcher.FRAME_BASE64_HEADER,
                Base64.getEncoder().encodeToString(bytes)));
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            // The route's error handler has logged the failure with its details.
            LOG.debug("Routing a received frame failed: {}", exchange.getException().toString());
        }
        releaseExchange(exchange, false);
    }
}
