package br.com.lepapon.bridge.sinks;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import br.com.lepapon.bridge.events.EventJson;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * The top-level fields of one outbox journal line, read with a streaming parser: the text values by name, and the
 * position of the {@code body} object in the line. The body is skipped, not built as a tree, so reading a line takes
 * little more memory than the line itself.
 *
 * @param texts     the top-level fields whose value is text
 * @param bodyStart the position of the body's opening brace in the line, or -1 when there is no body object
 * @param bodyEnd   the position just after the body's closing brace, or -1
 */
record JournalLineFields(Map<String, String> texts, int bodyStart, int bodyEnd) {

    /**
     * Reads a line given in UTF-8, with or without its newline.
     *
     * @throws IOException when the line is not one JSON object
     */
    static JournalLineFields read(byte[] line) throws IOException {
        try (JsonParser parser = EventJson.MAPPER.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(parser, "expected a JSON object");
            }
            Map<String, String> texts = new HashMap<>();
            int bodyStart = -1;
            int bodyEnd = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("body".equals(name) && value == JsonToken.START_OBJECT) {
                    // NOTE: Jackson reports byte offsets as -1 when its factory does not canonicalize field names, so
                    // EventJson.MAPPER keeps that feature on; the check below turns a change there into an error.
                    bodyStart = (int) parser.currentTokenLocation().getByteOffset();
                    parser.skipChildren();
                    bodyEnd = (int) parser.currentLocation().getByteOffset();
                    if (bodyStart < 0 || bodyEnd <= bodyStart) {
                        throw new JsonParseException(parser, "the parser gave no position for the body");
                    }
                } else if (value == JsonToken.VALUE_STRING) {
                    texts.put(name, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "unexpected text after the JSON object");
            }
            return new JournalLineFields(texts, bodyStart, bodyEnd);
        }
    }

    /**
     * Returns a text field.
     *
     * @throws IllegalArgumentException when the field is missing or not text
     */
    String required(String field) {
        String value = texts.get(field);
        if (value == null) {
            throw new IllegalArgumentException(field + " is missing or not text");
        }
        return value;
    }

    /** Returns a text field, or null when it is missing, null or not text. */
    String optional(String field) {
        return texts.get(field);
    }

    boolean hasBody() {
        return bodyStart >= 0;
    }
}
