package br.com.lepapon.bridge.events;

import java.util.regex.Pattern;

/** Turns an event type, which comes from the network, into a safe file name. */
public final class EventTypes {

    /** The file for event types that are not safe file names; the hyphen keeps it apart from any real type. */
    public static final String OTHER_EVENTS_FILE = "other-events";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private EventTypes() {
    }

    /** Returns the type itself when it is 1 to 64 letters, digits or underscores, else {@link #OTHER_EVENTS_FILE}. */
    public static String fileName(String type) {
        return type != null && SAFE_NAME.matcher(type).matches() ? type : OTHER_EVENTS_FILE;
    }
}
