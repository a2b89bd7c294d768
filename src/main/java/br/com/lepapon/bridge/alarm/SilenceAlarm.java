package br.com.lepapon.bridge.alarm;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when an expected event type goes silent, for example no order for two hours on a Friday evening: each
 * {@link SilenceRule} is checked every second, fires once with a WARN line, shows as
 * {@code lepapon_silence_alarm{type}} = 1 and in the feed readiness details, and clears when an event of its type
 * arrives. Silence counts from the later of the last such event and the start of the window.
 */
public final class SilenceAlarm {

    private static final Logger LOG = LoggerFactory.getLogger(SilenceAlarm.class);

    private final List<SilenceRule> rules;
    private final ZoneId zone;
    private final Instant startedAt = Instant.now();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<SilenceRule, Instant> firing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            runnable -> new Thread(runnable, "silence-alarm"));

    public SilenceAlarm(List<SilenceRule> rules, ZoneId zone, MeterRegistry registry) {
        this.rules = rules;
        this.zone = zone;
        for (SilenceRule rule : rules) {
            Gauge.builder("lepapon_silence_alarm", () -> firing.containsKey(rule) ? 1 : 0)
                    .description("1 while no event of the type has arrived for the rule's time in its window")
                    .tag("type", rule.type())
                    .register(registry);
        }
    }

    public void start() {
        if (!rules.isEmpty()) {
            timer.scheduleAtFixedRate(this::check, 1, 1, TimeUnit.SECONDS);
        }
    }

    public void stop() {
        timer.shutdownNow();
    }

    /** Records an event; {@code type} is the event type as received. */
    public void eventSeen(String type) {
        Instant now = Instant.now();
        lastSeen.put(type, now);
        for (SilenceRule rule : rules) {
            if (rule.type().equals(type) && firing.remove(rule) != null) {
                LOG.info("Silence alarm cleared: a {} event arrived", rule.type());
            }
        }
    }

    /** Returns a description of the alarms that are firing, for the readiness details, or empty. */
    public Optional<String> describeFiring() {
        if (firing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(firing.entrySet().stream()
                .map(entry -> "no " + entry.getKey().type() + " event since " + entry.getValue())
                .collect(Collectors.joining("; ")));
    }

    void check() {
        ZonedDateTime now = ZonedDateTime.now(zone);
        for (SilenceRule rule : rules) {
            Optional<ZonedDateTime> windowStart = rule.windowStart(now);
            if (windowStart.isEmpty() || firing.containsKey(rule)) {
                continue;
            }
            Instant since = lastSeen.getOrDefault(rule.type(), startedAt);
            if (since.isBefore(windowStart.get().toInstant())) {
                since = windowStart.get().toInstant();
            }
            if (Duration.between(since, now.toInstant()).compareTo(rule.silence()) >= 0) {
                firing.put(rule, since);
                LOG.warn("Silence alarm: no {} event since {} ({} minutes without one, between {} and {})",
                        rule.type(), since, rule.silence().toSeconds() / 60.0, rule.from(), rule.to());
            }
        }
    }
}
