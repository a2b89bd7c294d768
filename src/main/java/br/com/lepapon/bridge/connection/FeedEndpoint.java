package br.com.lepapon.bridge.connection;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A {@code lepapon-feed:} endpoint; it can only be consumed from. */
final class FeedEndpoint extends DefaultEndpoint {

    FeedEndpoint(String uri, FeedComponent component) {
        super(uri, component);
    }

    @Override
    public FeedComponent getComponent() {
        return (FeedComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("lepapon-feed endpoints can only be used in from:");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        FeedConsumer consumer = new FeedConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
