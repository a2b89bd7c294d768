package br.com.lepapon.bridge.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Delays between connection attempts: the first delay, doubled after each failure up to a maximum, each shortened
 * by a random share of up to {@link #JITTER} so that many bridges cut off together do not reconnect in lockstep.
 * Because a doubled delay less 20% is still longer than the one before, delays keep growing. Not thread-safe.
 */
public final class Backoff {

    static final double JITTER = 0.2;

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;
    private Duration next;

    public Backoff(Duration initial, Duration max) {
        this(initial, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** Creates a backoff whose jitter comes from {@code random}, which returns values in [0, 1). */
    Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
        this.next = initial;
    }

    /** Returns the delay before the next attempt and doubles the one after, up to the maximum. */
    public Duration nextDelay() {
        Duration current = next;
        Duration doubled = current.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        long jitterNanos = (long) (current.toNanos() * JITTER * random.getAsDouble());
        return current.minusNanos(jitterNanos);
    }

    /** Starts again from the first delay, after a connection has held. */
    public void reset() {
        next = initial;
    }
}
