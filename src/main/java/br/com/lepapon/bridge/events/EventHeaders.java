package br.com.lepapon.bridge.events;

/** Message headers that {@link FrameParser} sets for the routes in routes/. */
public final class EventHeaders {

    /** The event type as received; untrusted, compare it but do not build names from it. */
    public static final String EVENT = "LePaponEvent";
    /** The event type as a safe file name, see {@link EventTypes#fileName}. */
    public static final String EVENT_FILE = "LePaponEventFile";
    /** The day the frame was received, yyyy-MM-dd in the configured time zone. */
    public static final String DAY = "LePaponDay";
    /** A sanitised one-line summary for the log. */
    public static final String SUMMARY = "LePaponSummary";
    /** The reason a frame is invalid, set only for invalid frames. */
    public static final String INVALID_REASON = "LePaponInvalidReason";

    private EventHeaders() {
    }
}
