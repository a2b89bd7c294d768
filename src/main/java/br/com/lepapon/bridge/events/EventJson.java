package br.com.lepapon.bridge.events;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.Map;

import br.com.lepapon.bridge.HeapShare;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one Jackson mapper for feed messages. Numbers keep their exact value (decimals as BigDecimal with their
 * scale, large integers as BigInteger). Text after the first JSON value and a key repeated in one object are
 * errors, so such a frame is kept whole as an invalid frame instead of losing one of its values.
 */
public final class EventJson {

    /**
     * The mapper for everything but frames: the outbox journal, replay input, webhook bodies. Jackson keeps the field
     * names it reads, about 12,000 at most, so names are limited to 1,000 characters (frames to fewer) to bound that.
     */
    public static final ObjectMapper MAPPER = mapper(StreamReadConstraints.builder().maxNameLength(1_000).build());

    /** Characters a field name in a frame may have at most. */
    public static final int MAX_FRAME_NAME_LENGTH = 256;
    /** Nesting levels a frame may have at most, so that the lines that wrap it stay within Jackson's 1,000. */
    public static final int MAX_FRAME_DEPTH = 500;
    /**
     * JSON tokens a frame may have at most: a thousandth of the heap in count, at most 1,000,000. A token takes tens
     * of bytes as a tree node, so a frame of many tiny objects ({@code [{"":0},...]}) would otherwise need, by
     * estimate, thirty times its size in heap.
     */
    public static final long MAX_FRAME_TOKENS = HeapShare.of(1_000_000, 1024);

    /**
     * The mapper for frames from the feed, with the frame limits above. Jackson keeps the field names it reads, which
     * saves work on the platform's repeated keys. It keeps about 12,000 at most, so the name length limit bounds that
     * memory to a few MiB by estimate.
     */
    private static final ObjectMapper FRAME_MAPPER = mapper(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_FRAME_DEPTH)
            .maxTokenCount(MAX_FRAME_TOKENS)
            .maxNameLength(MAX_FRAME_NAME_LENGTH)
            .build());

    /**
     * Writes UTF-8 bytes with a character outside the Basic Multilingual Plane (an emoji) as its four-byte form, as
     * {@code String.getBytes} encodes it, instead of as two {@code \\u} escapes. It joins a lone high surrogate with
     * the next character, so {@link #compactBytes} uses it only for text without lone surrogates.
     */
    private static final ObjectWriter UTF8_WRITER = MAPPER.writer()
            .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8);

    /** Escapes every non-ASCII character, for text that UTF-8 cannot encode as it is. */
    private static final ObjectWriter ASCII_WRITER = MAPPER.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);

    /** ISO-8601 with milliseconds and the offset, for example 2026-12-04T13:01:02.123-03:00. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private EventJson() {
    }

    /**
     * Formats a time for the files and the webhook, always with milliseconds, as {@link #TIMESTAMP} does. Every event
     * line has a timestamp, so years 0 to 9999 with an offset of whole minutes are written field by field, which is
     * faster than the formatter. Other times go through the formatter.
     */
    public static String timestamp(OffsetDateTime time) {
        int year = time.getYear();
        int offsetSeconds = time.getOffset().getTotalSeconds();
        if (year < 0 || year > 9999 || offsetSeconds % 60 != 0) {
            return TIMESTAMP.format(time);
        }
        StringBuilder text = new StringBuilder(29);
        appendPadded(text, year, 4).append('-');
        appendPadded(text, time.getMonthValue(), 2).append('-');
        appendPadded(text, time.getDayOfMonth(), 2).append('T');
        appendPadded(text, time.getHour(), 2).append(':');
        appendPadded(text, time.getMinute(), 2).append(':');
        appendPadded(text, time.getSecond(), 2).append('.');
        appendPadded(text, time.getNano() / 1_000_000, 3);
        if (offsetSeconds == 0) {
            return text.append('Z').toString();
        }
        int offsetMinutes = Math.abs(offsetSeconds) / 60;
        text.append(offsetSeconds < 0 ? '-' : '+');
        appendPadded(text, offsetMinutes / 60, 2).append(':');
        return appendPadded(text, offsetMinutes % 60, 2).toString();
    }

    private static StringBuilder appendPadded(StringBuilder text, int value, int width) {
        for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                text.append('0');
            }
        }
        return text.append(value);
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        return readTree(MAPPER, text);
    }

    /**
     * Reads a frame from the feed, which may nest at most {@link #MAX_FRAME_DEPTH} levels and have at most
     * {@link #MAX_FRAME_TOKENS} tokens.
     */
    public static JsonNode readFrame(String text) throws JsonProcessingException {
        return readTree(FRAME_MAPPER, text);
    }

    /** Reads JSON, reporting a number that BigDecimal cannot hold (an exponent past 2^31) as invalid JSON. */
    private static JsonNode readTree(ObjectMapper mapper, String text) throws JsonProcessingException {
        try {
            return mapper.readTree(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonParseException(null, "invalid number: " + e.getMessage());
        }
    }

    private static ObjectMapper mapper(StreamReadConstraints constraints) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints).build();
        return JsonMapper.builder(factory)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Serialises a record as one line of JSON Lines, newline included. */
    public static String line(JsonNode json) {
        return compact(json) + "\n";
    }

    /**
     * Serialises JSON on one line. A string may hold a lone surrogate (the escape {@code "\ud83d"} is valid JSON),
     * which UTF-8 cannot encode, so such text is written with non-ASCII characters escaped instead.
     */
    public static String compact(JsonNode json) {
        try {
            String text = MAPPER.writeValueAsString(json);
            return isWellFormed(text) ? text : ASCII_WRITER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be serialised", e);
        }
    }

    /**
     * Serialises JSON on one line straight to UTF-8, with the same bytes as {@link #compact} encoded in UTF-8, but
     * without the text form and its copies, so a large event takes less memory on its way to a file. Text with a lone
     * surrogate is written with non-ASCII characters escaped, as {@link #compact} does.
     */
    public static byte[] compactBytes(JsonNode json) {
        try {
            return hasLoneSurrogate(json) ? ASCII_WRITER.writeValueAsBytes(json) : UTF8_WRITER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be serialised", e);
        }
    }

    /** Returns whether a field name or a text value anywhere in the tree contains a surrogate without its pair. */
    private static boolean hasLoneSurrogate(JsonNode json) {
        if (json.isTextual()) {
            return !isWellFormed(json.textValue());
        }
        if (json.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = json.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!isWellFormed(field.getKey()) || hasLoneSurrogate(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (json.isArray()) {
            for (JsonNode element : json) {
                if (hasLoneSurrogate(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns whether the text has no surrogate without its pair, so that UTF-8 can encode it. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
