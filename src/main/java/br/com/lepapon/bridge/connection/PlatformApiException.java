package br.com.lepapon.bridge.connection;

/** A platform API response that the bridge cannot use; the message never contains a token. */
public class PlatformApiException extends RuntimeException {

    public PlatformApiException(String message) {
        super(message);
    }
}
