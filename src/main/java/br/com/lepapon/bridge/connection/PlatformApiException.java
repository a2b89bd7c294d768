package br.com.lepapon.bridge.connection;

/** An answer of the platform API that the bridge cannot use; the message never contains a token. */
public class PlatformApiException extends RuntimeException {

    public PlatformApiException(String message) {
        super(message);
    }
}
