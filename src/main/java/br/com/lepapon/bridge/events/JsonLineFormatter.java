package br.com.lepapon.bridge.events;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Replaces a {@link JsonLineRecord} body with its JSON line, newline included, for the file sinks. */
public final class JsonLineFormatter implements Processor {

    @Override
    public void process(Exchange exchange) throws Exception {
        JsonLineRecord record = exchange.getMessage().getMandatoryBody(JsonLineRecord.class);
        exchange.getMessage().setBody(EventJson.line(record.toJson()));
    }
}
