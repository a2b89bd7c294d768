package br.com.lepapon.bridge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Captures every log event at DEBUG, from the bridge and the libraries it uses, until {@link #stop}. */
final class LogCapture {

    private static final List<String> LOGGERS = List.of(
            org.slf4j.Logger.ROOT_LOGGER_NAME, "br.com.lepapon", "lepapon", "org.apache.camel", "io.vertx", "io.netty",
            "org.apache.hc");

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Map<Logger, Level> previousLevels = new HashMap<>();

    LogCapture start() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            previousLevels.put(logger, logger.getLevel());
            logger.setLevel(Level.DEBUG);
        }
        appender.setContext(context);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return this;
    }

    void stop() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        previousLevels.forEach(Logger::setLevel);
        appender.stop();
    }

    /** Returns the captured events. */
    List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Returns each event as its logger, level, message and stack trace. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            String throwable = event.getThrowableProxy() == null
                    ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy());
            lines.add(event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage() + throwable);
        }
        return lines;
    }
}
