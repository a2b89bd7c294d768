package br.com.lepapon.bridge.replay;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import br.com.lepapon.bridge.events.EventJson;
import br.com.lepapon.bridge.sinks.WebhookDeadLetter;

/**
 * The lines of one dead-letter file that a replay did not deliver, in a new file next to it:
 * {@code <name>.undelivered-<yyyyMMdd-HHmmss>.jsonl}. Failed deliveries are written as dead letters again, so the file
 * can be replayed in turn; invalid lines are copied byte for byte. The file is created at the first line, and each
 * line is written before the replay goes on, so a replay that is killed keeps what it had found.
 */
final class UndeliveredFile implements Closeable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss");

    private final Path input;
    private final LocalDateTime startedAt;
    private Path path;
    private FileChannel channel;
    private int lines;

    UndeliveredFile(Path input, LocalDateTime startedAt) {
        this.input = input;
        this.startedAt = startedAt;
    }

    void addFailed(WebhookDeadLetter letter) throws IOException {
        write(EventJson.line(letter.toJson()).getBytes(StandardCharsets.UTF_8));
    }

    void addInvalid(byte[] line) throws IOException {
        byte[] withNewline = new byte[line.length + 1];
        System.arraycopy(line, 0, withNewline, 0, line.length);
        withNewline[line.length] = '\n';
        write(withNewline);
    }

    /** Returns the file, or null when nothing was written. */
    Path path() {
        return path;
    }

    int lines() {
        return lines;
    }

    /** Forces the lines to disk and closes the file. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            try {
                channel.force(true);
            } finally {
                channel.close();
            }
        }
    }

    private void write(byte[] line) throws IOException {
        if (channel == null) {
            open();
        }
        ByteBuffer buffer = ByteBuffer.wrap(line);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        lines++;
    }

    /** Creates the file under a name no earlier replay used, adding -2, -3... when two start in the same second. */
    private void open() throws IOException {
        String name = input.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        String base = stem + ".undelivered-" + STAMP.format(startedAt);
        for (int suffix = 1; ; suffix++) {
            Path candidate = input.resolveSibling(base + (suffix == 1 ? "" : "-" + suffix) + ".jsonl");
            try {
                channel = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                path = candidate;
                return;
            } catch (FileAlreadyExistsException e) {
                // Another replay started in the same second: try the next suffix.
            }
        }
    }
}
