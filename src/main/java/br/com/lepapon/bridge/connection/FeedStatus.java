package br.com.lepapon.bridge.connection;

import java.time.Instant;

/**
 * The state of the feed connection as the health check reports it, updated by {@link FeedSupervisor}.
 *
 * @param connected       whether a connection is open now
 * @param everConnected   whether a connection has been open since the bridge started
 * @param since           when the connection opened, or when the bridge started or last lost it
 * @param lastFailure     the reason of the last failed attempt or lost connection, or null
 * @param nextAttemptAt   when the next attempt is due while backing off, or null
 * @param unauthorised    whether the last attempt was rejected with 401 or 403
 */
public record FeedStatus(boolean connected, boolean everConnected, Instant since, String lastFailure,
        Instant nextAttemptAt, boolean unauthorised) {

    static FeedStatus starting() {
        return new FeedStatus(false, false, Instant.now(), null, null, false);
    }

    FeedStatus connectedNow() {
        return new FeedStatus(true, true, Instant.now(), null, null, false);
    }

    FeedStatus lost(String reason) {
        return new FeedStatus(false, everConnected, Instant.now(), reason, null, false);
    }

    FeedStatus backingOff(String reason, Instant nextAttempt, boolean rejected) {
        return new FeedStatus(false, everConnected, connected ? Instant.now() : since, reason, nextAttempt, rejected);
    }
}
