package br.com.lepapon.bridge.connection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.util.List;

import br.com.lepapon.bridge.config.BridgeSettings;
import br.com.lepapon.bridge.events.EventJson;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves frames that were received but not routed before shutdown to
 * {@code <data-dir>/<yyyy-MM-dd>/unprocessed-frames.jsonl}, one {@code {"receivedAt":...,"frame":"..."}} line each,
 * written directly because the routes may be what is too slow.
 */
final class UnprocessedFrameFile {

    static final String FILE_NAME = "unprocessed-frames.jsonl";
    private static final Logger LOG = LoggerFactory.getLogger(UnprocessedFrameFile.class);

    private UnprocessedFrameFile() {
    }

    static void write(BridgeSettings settings, List<ReceivedFrame> frames) {
        OffsetDateTime now = OffsetDateTime.now(settings.timezone());
        Path file = settings.dataDir().resolve(now.toLocalDate().toString()).resolve(FILE_NAME);
        StringBuilder lines = new StringBuilder();
        for (ReceivedFrame frame : frames) {
            ObjectNode line = EventJson.object();
            OffsetDateTime receivedAt = frame.receivedAt().atZone(settings.timezone()).toOffsetDateTime();
            line.put("receivedAt", EventJson.timestamp(receivedAt));
            line.put("frame", frame.text());
            lines.append(EventJson.line(line));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            LOG.error("Stopped with {} received frames not yet routed; saved them to {}", frames.size(), file);
        } catch (IOException e) {
            LOG.error("Stopped with {} received frames not yet routed, and could not save them to {}: {}",
                    frames.size(), file, e.toString());
        }
    }
}
