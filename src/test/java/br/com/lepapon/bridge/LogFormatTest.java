package br.com.lepapon.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.Logger;
import com.fasterxml.jackson.databind.JsonNode;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A run with orders, messages, an invalid frame, a webhook retry and a reconnect, logged at DEBUG and encoded as
 * text and as JSON (LOG_FORMAT=json): no line has a customer's phone number or the token, and each JSON line parses.
 */
class LogFormatTest extends BridgeTestSupport {

    private static final List<String> PHONES = List.of("5511900000001", "5511900000002");

    @Override
    protected boolean captureLogs() {
        return true;
    }

    @Test
    void textAndJsonLinesHideSecrets() throws Exception {
        awaitConnected();
        receiver.answerNext(500, Map.of());
        simulator.send(Fixtures.frame("new_order.json"));
        simulator.send(Fixtures.frame("new_order_alternative_names.json"));
        simulator.send(Fixtures.frame("new_message.json"));
        simulator.send(Fixtures.frame("message_status.json"));
        simulator.send("{\"session_id\":\"5511900000002\" not json");
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 3);
        simulator.dropConnections();
        awaitConnectedAfter(2);
        String token = simulator.currentToken();
        context.stop();

        List<ILoggingEvent> events = logs.events();
        List<String> text = encode(events, textEncoder());
        List<String> json = encode(events, jsonEncoder());
        assertThat(text).anyMatch(line -> line.contains("5511*****0001"));
        for (List<String> lines : List.of(text, json)) {
            assertThat(lines).hasSizeGreaterThan(50);
            assertThat(lines).noneMatch(line -> line.contains(token));
            for (String phone : PHONES) {
                assertThat(lines).noneMatch(line -> line.contains(phone));
            }
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode line = parse(json.get(i));
            assertThat(line.path("formattedMessage").asText()).as(json.get(i))
                    .isEqualTo(events.get(i).getFormattedMessage());
            assertThat(line.path("level").asText()).isEqualTo(events.get(i).getLevel().toString());
        }
        assertThat(json).anyMatch(line -> line.contains("Delivered order to webhook: webhook-id msg_"));
    }

    private static List<String> encode(List<ILoggingEvent> events, Encoder<ILoggingEvent> encoder) {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : events) {
            lines.add(new String(encoder.encode(event), StandardCharsets.UTF_8).strip());
        }
        return lines;
    }

    private static Encoder<ILoggingEvent> textEncoder() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        encoder.setPattern("%d %-5level [%thread] %logger{36} - %msg%n%ex");
        encoder.start();
        return encoder;
    }

    /** Returns the encoder of the json appender as logback.xml configures it. */
    @SuppressWarnings("unchecked")
    private static Encoder<ILoggingEvent> jsonEncoder() throws Exception {
        LoggerContext loggerContext = new LoggerContext();
        loggerContext.putProperty("LOG_FORMAT", "json");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(loggerContext);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        var appender = (OutputStreamAppender<ILoggingEvent>) loggerContext.getLogger(Logger.ROOT_LOGGER_NAME)
                .getAppender("json");
        assertThat(appender).as("json appender attached to the root logger").isNotNull();
        return appender.getEncoder();
    }
}
