package br.com.lepapon.bridge.replay;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a JSON Lines file one line at a time as bytes, so that a line that is not valid UTF-8 can still be reported
 * and copied unchanged instead of stopping the whole file.
 */
final class JsonLinesReader implements Closeable {

    private final InputStream input;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private int lineNumber;
    private boolean finished;

    JsonLinesReader(Path file) throws IOException {
        this.input = new BufferedInputStream(Files.newInputStream(file));
    }

    /** Returns the next line without its newline, or null at the end of the file. */
    Line next() throws IOException {
        if (finished) {
            return null;
        }
        buffer.reset();
        int b;
        while ((b = input.read()) != -1) {
            if (b == '\n') {
                return new Line(++lineNumber, buffer.toByteArray(), true);
            }
            buffer.write(b);
        }
        finished = true;
        return buffer.size() == 0 ? null : new Line(++lineNumber, buffer.toByteArray(), false);
    }

    @Override
    public void close() throws IOException {
        input.close();
    }

    /**
     * One line of the file.
     *
     * @param number          the line number, from 1
     * @param bytes           the line as stored, without the newline
     * @param endsWithNewline false for a last line that has no newline, which may have been cut short by a crash
     */
    record Line(int number, byte[] bytes, boolean endsWithNewline) {

        /** Decodes the line as UTF-8, failing on bytes that are not valid UTF-8. */
        String text() throws CharacterCodingException {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        }

        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        /** Returns the reason a line is invalid, noting when it may be a line cut short. */
        String describe(String reason) {
            return endsWithNewline ? reason : reason + " (the last line has no newline, so it may be cut short)";
        }
    }
}
