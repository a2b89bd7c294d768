package br.com.lepapon.bridge.connection;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Masks tokens so that logs show which token was used without revealing it. */
public final class SecretMasker {

    private static final Pattern TOKEN_PARAMETER = Pattern.compile("([?&]token=)([^&#\\s]*)");

    private SecretMasker() {
    }

    /** Masks a token as its first 4 and last 4 characters around {@code ...}; 8 characters or fewer become ***. */
    public static String maskToken(String token) {
        if (token == null || token.length() <= 8) {
            return "***";
        }
        return token.substring(0, 4) + "..." + token.substring(token.length() - 4);
    }

    /** Returns the URI as text with the value of its {@code token} query parameter masked. */
    public static String maskUri(URI uri) {
        return maskUri(uri.toString());
    }

    /**
     * Returns an HTTP endpoint for the log without the parts that may hold credentials: user info is dropped and a
     * query becomes {@code ?...}. Used for the token, connection-info and webhook endpoints.
     */
    public static String redactEndpoint(URI uri) {
        StringBuilder text = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            text.append(':').append(uri.getPort());
        }
        text.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            text.append("?...");
        }
        return text.toString();
    }

    /** Masks every {@code token} query parameter in a URI or in a message that contains URIs. */
    public static String maskUri(String uri) {
        Matcher matcher = TOKEN_PARAMETER.matcher(uri);
        StringBuilder masked = new StringBuilder();
        while (matcher.find()) {
            String value = FeedUris.decode(matcher.group(2));
            String maskedValue = URLEncoder.encode(maskToken(value), StandardCharsets.UTF_8);
            matcher.appendReplacement(masked, Matcher.quoteReplacement(matcher.group(1) + maskedValue));
        }
        matcher.appendTail(masked);
        return masked.toString();
    }
}
