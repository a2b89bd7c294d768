package br.com.lepapon.bridge.connection;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import br.com.lepapon.bridge.alarm.SilenceAlarm;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the feed: down until the first connection, and down while the feed has been disconnected for longer
 * than the grace period. Its message gives the state (connecting, unauthorised, or backing off until when) and the
 * last failure.
 */
public final class FeedHealthCheck extends AbstractHealthCheck {

    private final AtomicReference<FeedStatus> status;
    private final Duration grace;
    private final SilenceAlarm alarm;

    public FeedHealthCheck(AtomicReference<FeedStatus> status, Duration grace, SilenceAlarm alarm) {
        super("lepapon", "feed");
        this.status = status;
        this.grace = grace;
        this.alarm = alarm;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        FeedStatus current = status.get();

        builder.detail("connected", current.connected());
        builder.detail("since", current.since().toString());
        if (current.lastFailure() != null) {
            builder.detail("lastFailure", current.lastFailure());
        }
        if (current.nextAttemptAt() != null) {
            builder.detail("nextAttemptAt", current.nextAttemptAt().toString());
        }

        String alarmText = alarm.describeFiring().map(text -> "; silence alarm: " + text).orElse("");
        if (current.connected()) {
            builder.message("connected" + alarmText).up();
            return;
        }

        String state;
        if (current.unauthorised()) {
            state = "unauthorised";
        } else if (current.nextAttemptAt() != null) {
            state = "backing off until " + current.nextAttemptAt().truncatedTo(ChronoUnit.MILLIS);
        } else {
            state = "connecting";
        }

        Duration down = Duration.between(current.since(), Instant.now());
        String cause = current.lastFailure() == null ? "" : " after: " + current.lastFailure();
        builder.message(state + cause + alarmText);
        if (current.everConnected() && down.compareTo(grace) < 0) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
