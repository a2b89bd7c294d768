package br.com.lepapon.bridge.connection;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Builds the feed URI: normalises a discovered address and puts the token in its query. */
public final class FeedUris {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1");

    private FeedUris() {
    }

    /**
     * Normalises a URI announced by the connection-info endpoint. The platform announces its own view of
     * the address, such as {@code ws://localhost:3001}, so a loopback or wildcard host is replaced by
     * {@code publicHost}, the host of the connection-info endpoint. {@code http} and {@code https} become
     * {@code ws} and {@code wss}; port, path and query are kept.
     *
     * @throws IllegalArgumentException when the text is not an absolute ws, wss, http or https URI with a host
     */
    public static URI normalise(String discovered, String publicHost) {
        URI uri = parse(discovered);
        String scheme = webSocketScheme(uri.getScheme(), discovered);
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("Discovered feed URL has no host: " + SecretMasker.maskUri(discovered));
        }
        if (LOCAL_HOSTS.contains(host.toLowerCase(Locale.ROOT))) {
            host = publicHost;
        }
        return build(scheme, host, uri.getPort(), uri.getRawPath(), uri.getRawQuery());
    }

    /** Returns {@code uri} with its {@code token} query parameter added or replaced; other parameters are kept. */
    public static URI withToken(URI uri, String token) {
        List<String> parameters = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String parameter : query.split("&")) {
                if (!parameter.equals("token") && !parameter.startsWith("token=")) {
                    parameters.add(parameter);
                }
            }
        }
        parameters.add("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return build(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(), String.join("&", parameters));
    }

    static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static URI parse(String text) {
        try {
            return new URI(text.trim());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("Discovered feed URL is not a valid URI: "
                    + (text == null ? "null" : SecretMasker.maskUri(text)));
        }
    }

    private static String webSocketScheme(String scheme, String original) {
        String lower = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
        return switch (lower) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException(
                    "Discovered feed URL has scheme '" + lower + "', expected ws, wss, http or https: "
                            + SecretMasker.maskUri(original));
        };
    }

    private static URI build(String scheme, String host, int port, String rawPath, String rawQuery) {
        StringBuilder text = new StringBuilder(scheme).append("://");
        boolean ipv6 = host.contains(":") && !host.startsWith("[");
        text.append(ipv6 ? "[" + host + "]" : host);
        if (port >= 0) {
            text.append(':').append(port);
        }
        text.append(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
        if (rawQuery != null && !rawQuery.isEmpty()) {
            text.append('?').append(rawQuery);
        }
        return URI.create(text.toString());
    }
}
