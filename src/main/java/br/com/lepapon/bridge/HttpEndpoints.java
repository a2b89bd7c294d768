package br.com.lepapon.bridge;

import java.net.URI;
import java.time.Duration;

import org.apache.camel.Message;
import org.apache.camel.component.http.HttpConstants;

/** Builds camel-http endpoint URIs. */
public final class HttpEndpoints {

    private static final String[] TIMEOUT_OPTIONS = {
        "connectTimeout", "connectionRequestTimeout", "responseTimeout", "soTimeout"};

    private HttpEndpoints() {
    }

    /**
     * Returns the camel-http URI for {@code target} with every timeout set to {@code timeout} and redirects not
     * followed; {@code options} are further endpoint options such as {@code throwExceptionOnFailure=false}. The
     * target's query is left out because Camel would decode and reorder it: send it with {@link #setQuery}.
     */
    public static String withTimeouts(URI target, Duration timeout, String... options) {
        long millis = timeout.toMillis();
        StringBuilder uri = new StringBuilder(target.getScheme()).append("://").append(target.getRawAuthority());
        uri.append(target.getRawPath() == null ? "" : target.getRawPath());
        uri.append("?followRedirects=false");
        for (String name : TIMEOUT_OPTIONS) {
            uri.append('&').append(name).append('=').append(millis);
        }
        for (String option : options) {
            uri.append('&').append(option);
        }
        return uri.toString();
    }

    /** Makes the request carry the target's query exactly as written, encoded characters included. */
    public static void setQuery(Message message, URI target) {
        if (target.getRawQuery() != null) {
            message.setHeader(HttpConstants.HTTP_RAW_QUERY, target.getRawQuery());
        }
    }
}
