package br.com.lepapon.bridge.alarm;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "No event of {@code type} for {@code silence} between {@code from} and {@code to}" in the configured time zone.
 * Written as {@code type,minutes,hh:mm-hh:mm}; several rules are separated by {@code ;}. A window whose start equals
 * its end is the whole day, and one whose end is before its start runs past midnight.
 */
public record SilenceRule(String type, Duration silence, LocalTime from, LocalTime to) {

    /**
     * Parses the rules of a setting value; an empty value has none.
     *
     * @throws IllegalArgumentException naming the rule that is invalid
     */
    public static List<SilenceRule> parseAll(String value) {
        List<SilenceRule> rules = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return rules;
        }
        for (String text : value.split(";")) {
            if (!text.isBlank()) {
                rules.add(parse(text.trim()));
            }
        }
        return rules;
    }

    static SilenceRule parse(String text) {
        String[] parts = text.split(",");
        String[] window = parts.length == 3 ? parts[2].trim().split("-") : new String[0];
        if (parts.length != 3 || window.length != 2 || parts[0].isBlank()) {
            throw new IllegalArgumentException("'" + text + "' is not type,minutes,hh:mm-hh:mm");
        }
        try {
            BigDecimal minutes = new BigDecimal(parts[1].trim());
            Duration silence = Duration.ofMillis(minutes.multiply(BigDecimal.valueOf(60_000)).longValueExact());
            if (silence.toMillis() <= 0) {
                throw new IllegalArgumentException("'" + text + "' needs minutes greater than 0");
            }
            return new SilenceRule(parts[0].trim(), silence, LocalTime.parse(window[0].trim()),
                    LocalTime.parse(window[1].trim()));
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not type,minutes,hh:mm-hh:mm");
        }
    }

    /** Returns when the window that contains {@code now} started, or empty when {@code now} is outside the window. */
    Optional<ZonedDateTime> windowStart(ZonedDateTime now) {
        LocalTime time = now.toLocalTime();
        ZonedDateTime startToday = now.with(from).withSecond(0).withNano(0);
        if (from.equals(to)) {
            return Optional.of(now.toLocalDate().atStartOfDay(now.getZone()));
        }
        if (from.isBefore(to)) {
            return !time.isBefore(from) && time.isBefore(to) ? Optional.of(startToday) : Optional.empty();
        }
        // The window runs past midnight, from 'from' today to 'to' tomorrow.
        if (!time.isBefore(from)) {
            return Optional.of(startToday);
        }
        return time.isBefore(to) ? Optional.of(startToday.minusDays(1)) : Optional.empty();
    }
}
