package br.com.lepapon.bridge;

import java.util.regex.Pattern;

/** Makes text from the network safe to put in one log line. */
public final class LogText {

    private static final Pattern PHONE_LIKE = Pattern.compile("\\d{9,}");
    private static final Pattern SECRET_LIKE = Pattern.compile("[A-Za-z0-9_\\-]{20,}");

    private LogText() {
    }

    /**
     * Replaces control characters (line breaks included) with spaces, so a value cannot forge log lines, and cuts
     * the text to {@code maxLength} characters followed by {@code ...}.
     */
    public static String sanitize(String text, int maxLength) {
        if (text == null) {
            return "null";
        }
        StringBuilder safe = new StringBuilder(Math.min(text.length(), maxLength + 3));
        for (int i = 0; i < text.length() && safe.length() < maxLength; i++) {
            char c = text.charAt(i);
            safe.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (text.length() > maxLength) {
            safe.append("...");
        }
        return safe.toString();
    }

    /**
     * Masks the middle of a phone-number-like value (5511*****0001), keeping the first and last 4 digits; any
     * other text is sanitised as is.
     */
    public static String maskPhone(String value) {
        if (value == null) {
            return "null";
        }
        if (value.matches("\\+?\\d{9,15}")) {
            int keep = 4;
            return value.substring(0, keep) + "*".repeat(value.length() - 2 * keep) + value.substring(value.length() - keep);
        }
        return sanitize(value, 40);
    }

    /**
     * Returns the start of a frame for an error message: sanitised, with digit runs of 9 or more masked as phone
     * numbers and runs of 20 or more letters and digits (token-like) replaced by {@code [redacted]}.
     */
    public static String preview(String text, int maxLength) {
        String masked = PHONE_LIKE.matcher(text).replaceAll(match -> maskPhone(match.group()));
        masked = SECRET_LIKE.matcher(masked).replaceAll("[redacted]");
        return sanitize(masked, maxLength);
    }
}
