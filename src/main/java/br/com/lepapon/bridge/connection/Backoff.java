package br.com.lepapon.bridge.connection;

import java.time.Duration;

/** Delays between connection attempts: the first delay, doubled after each failure up to a maximum. Not thread-safe. */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
        this.next = initial;
    }

    /** Returns the delay before the next attempt and doubles the one after, up to the maximum. */
    public Duration nextDelay() {
        Duration current = next;
        Duration doubled = current.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return current;
    }

    /** Starts again from the first delay, after a connection has held. */
    public void reset() {
        next = initial;
    }
}
