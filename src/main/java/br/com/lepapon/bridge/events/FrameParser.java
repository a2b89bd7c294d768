package br.com.lepapon.bridge.events;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Optional;

import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.alarm.SilenceAlarm;
import br.com.lepapon.bridge.connection.FrameDispatcher;
import br.com.lepapon.bridge.metrics.BridgeMetrics;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a received frame into a {@link FeedEvent} and sets the {@link EventHeaders} that the router uses. A frame
 * that is not a JSON object becomes an {@link InvalidFrame} with the {@link EventHeaders#INVALID_REASON} header,
 * and is logged once at ERROR with a short preview. Never throws for bad input.
 */
public final class FrameParser implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FrameParser.class);
    private static final int PREVIEW_LENGTH = 80;

    private final ZoneId zone;
    private final BridgeMetrics metrics;
    private final SilenceAlarm alarm;

    public FrameParser(ZoneId zone, BridgeMetrics metrics, SilenceAlarm alarm) {
        this.zone = zone;
        this.metrics = metrics;
        this.alarm = alarm;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String text = message.getBody(String.class);
        Instant receivedAt = message.getHeader(FrameDispatcher.RECEIVED_AT_HEADER, Instant.class);
        OffsetDateTime at = (receivedAt == null ? Instant.now() : receivedAt).atZone(zone).toOffsetDateTime();
        message.setHeader(EventHeaders.DAY, at.toLocalDate().toString());

        String decodingError = message.getHeader(FrameDispatcher.DECODING_ERROR_HEADER, String.class);
        if (decodingError != null) {
            reject(message, at, text, decodingError);
            return;
        }
        JsonNode json;
        try {
            json = text == null ? null : EventJson.readFrame(text);
        } catch (StreamConstraintsException e) {
            reject(message, at, text, "over a size limit of the frame parser (at most " + EventJson.MAX_FRAME_DEPTH
                    + " levels, " + EventJson.MAX_FRAME_TOKENS + " tokens, names of " + EventJson.MAX_FRAME_NAME_LENGTH
                    + " characters, numbers of 1,000 digits): " + LogText.sanitize(e.getOriginalMessage(), 120));
            return;
        } catch (JsonProcessingException e) {
            reject(message, at, text, "not valid JSON: " + LogText.sanitize(e.getOriginalMessage(), 120));
            return;
        }
        if (json == null || !json.isObject()) {
            String kind = json == null || json.isMissingNode() ? "empty frame" : "JSON " + json.getNodeType();
            reject(message, at, text, kind + ", expected an object");
            return;
        }
        FeedEvent event = FeedEvent.of((ObjectNode) json, at);
        message.setHeader(EventHeaders.EVENT, event.type());
        String fileName = EventTypes.fileName(event.type());
        message.setHeader(EventHeaders.EVENT_FILE, fileName);
        metrics.frameReceived(fileName);
        alarm.eventSeen(event.type());
        message.setHeader(EventHeaders.SUMMARY, EventSummaries.summarize(event));
        message.setBody(event);
    }

    private void reject(Message message, OffsetDateTime at, String text, String reason) {
        String frame = text == null ? "" : text;
        LOG.error("Invalid frame ({} characters): {}; kept in the invalid-frames file. Preview: {}",
                frame.length(), reason, LogText.preview(frame, PREVIEW_LENGTH));
        metrics.invalidFrame();
        message.setHeader(EventHeaders.INVALID_REASON, reason);
        String base64 = message.getHeader(FrameDispatcher.FRAME_BASE64_HEADER, String.class);
        message.setBody(new InvalidFrame(at, reason, frame, Optional.ofNullable(base64)));
    }
}
