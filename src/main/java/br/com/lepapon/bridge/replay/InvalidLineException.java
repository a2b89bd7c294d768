package br.com.lepapon.bridge.replay;

import br.com.lepapon.bridge.LogText;
import br.com.lepapon.bridge.events.EventJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/** A line of an input file that cannot be replayed; the message is the reason, safe to log. */
final class InvalidLineException extends Exception {

    InvalidLineException(String reason) {
        super(reason, null, false, false);
    }

    /**
     * Parses a line that must be one JSON object.
     *
     * @throws InvalidLineException when the line is not valid JSON or not an object
     */
    static JsonNode readObject(String text) throws InvalidLineException {
        JsonNode json;
        try {
            json = EventJson.read(text);
        } catch (JsonProcessingException e) {
            throw new InvalidLineException("not valid JSON: " + LogText.preview(e.getOriginalMessage(), 120));
        }
        if (json == null || !json.isObject()) {
            throw new InvalidLineException("not a JSON object");
        }
        return json;
    }
}
