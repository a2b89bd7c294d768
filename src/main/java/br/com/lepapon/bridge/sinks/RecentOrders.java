package br.com.lepapon.bridge.sinks;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The orders accepted recently, by session and order id, so that an order the platform sends again is not posted
 * twice. Bounded by count and by age: the oldest keys go first. Not thread-safe.
 */
final class RecentOrders {

    private final int maxKeys;
    private final Duration maxAge;
    /** Acceptance time by key, oldest first. */
    private final LinkedHashMap<OrderKey, Instant> accepted = new LinkedHashMap<>();

    RecentOrders(int maxKeys, Duration maxAge) {
        this.maxKeys = maxKeys;
        this.maxAge = maxAge;
    }

    /** Returns when the order was accepted, or null when it was not accepted within the bounds. */
    Instant acceptedAt(OrderKey key, Instant now) {
        evictOlderThan(now.minus(maxAge));
        return accepted.get(key);
    }

    /** Adds a key, evicting the oldest ones past the bounds; a key seen again keeps its first time. */
    void add(OrderKey key, Instant acceptedAt) {
        accepted.putIfAbsent(key, acceptedAt);
        while (accepted.size() > maxKeys) {
            Iterator<OrderKey> oldest = accepted.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** Returns the remembered keys, oldest first, dropping those past the maximum age. */
    Map<OrderKey, Instant> entries(Instant now) {
        evictOlderThan(now.minus(maxAge));
        return accepted;
    }

    int size() {
        return accepted.size();
    }

    private void evictOlderThan(Instant limit) {
        Iterator<Map.Entry<OrderKey, Instant>> entries = accepted.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<OrderKey, Instant> entry = entries.next();
            if (!entry.getValue().isBefore(limit)) {
                // Keys are inserted in arrival order, so the rest are newer. Keys loaded from a journal after a
                // clock change may be slightly out of order, and then live a little longer than the maximum age.
                return;
            }
            entries.remove();
        }
    }

    /** An order's identity: the session it came from (empty when missing) and its order id, both as text. */
    record OrderKey(String sessionId, String orderId) {

        OrderKey {
            Objects.requireNonNull(sessionId);
            Objects.requireNonNull(orderId);
        }
    }
}
