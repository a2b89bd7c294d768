package br.com.lepapon.bridge.config;

/** A configuration value that cannot be used; the message names the setting and never contains a secret. */
public class InvalidSettingException extends RuntimeException {

    public InvalidSettingException(String message) {
        super(message);
    }
}
