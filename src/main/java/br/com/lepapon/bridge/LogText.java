package br.com.lepapon.bridge;

import java.util.regex.Pattern;

/** Makes text from the network safe to put in one log line. */
public final class LogText {

    /** Digits with the separators people write in phone numbers: +55 (11) 98765-4321, 5511987654321@c.us. */
    private static final Pattern PHONE_LIKE = Pattern.compile("\\+?\\d[\\d ().-]{6,}\\d");
    private static final int MIN_PHONE_DIGITS = 8;
    private static final int VISIBLE_DIGITS = 4;
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
     * Sanitises a value for the log and masks each phone-number-like part in it: a run of at least 8 digits, which
     * may contain spaces, brackets, dots or hyphens, keeps its first and last 4 digits (5511*****0001).
     */
    public static String maskPhone(String value) {
        if (value == null) {
            return "null";
        }
        return sanitize(maskPhones(value), 60);
    }

    private static String maskPhones(String text) {
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        // Two shortcuts that give what the pattern gives, for the usual session ids and amounts, without a regular
        // expression per log line. With fewer than 8 digits no match has enough digits to be masked, and a text of
        // digits only is one match as a whole.
        if (digits < MIN_PHONE_DIGITS) {
            return text;
        }
        if (digits == text.length()) {
            return maskDigits(text);
        }
        return PHONE_LIKE.matcher(text).replaceAll(match -> maskDigits(match.group()));
    }

    private static String maskDigits(String phone) {
        int digits = (int) phone.chars().filter(Character::isDigit).count();
        if (digits < MIN_PHONE_DIGITS) {
            return phone;
        }
        StringBuilder masked = new StringBuilder(phone.length());
        int seen = 0;
        for (char c : phone.toCharArray()) {
            if (Character.isDigit(c)) {
                seen++;
                boolean visible = seen <= VISIBLE_DIGITS || seen > digits - VISIBLE_DIGITS;
                masked.append(visible ? c : '*');
            } else {
                masked.append(c);
            }
        }
        return masked.toString();
    }

    /**
     * Returns the start of a frame for an error message: sanitised, with phone numbers masked as in
     * {@link #maskPhone} and runs of 20 or more letters and digits (token-like) replaced by {@code [redacted]}.
     */
    public static String preview(String text, int maxLength) {
        String masked = SECRET_LIKE.matcher(maskPhones(text)).replaceAll("[redacted]");
        return sanitize(masked, maxLength);
    }
}
