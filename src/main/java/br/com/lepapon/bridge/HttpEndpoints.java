package br.com.lepapon.bridge;

import java.net.URI;
import java.time.Duration;

/** Builds camel-http endpoint URIs. */
public final class HttpEndpoints {

    private HttpEndpoints() {
    }

    /**
     * Returns the camel-http URI for {@code target} with every timeout set to {@code timeout} and redirects not
     * followed; {@code options} are further endpoint options such as {@code throwExceptionOnFailure=false}.
     */
    public static String withTimeouts(URI target, Duration timeout, String... options) {
        long millis = timeout.toMillis();
        StringBuilder uri = new StringBuilder(target.toString());
        uri.append(target.getRawQuery() == null ? '?' : '&');
        uri.append("followRedirects=false");
        for (String name : new String[] {"connectTimeout", "connectionRequestTimeout", "responseTimeout", "soTimeout"}) {
            uri.append('&').append(name).append('=').append(millis);
        }
        for (String option : options) {
            uri.append('&').append(option);
        }
        return uri.toString();
    }
}
