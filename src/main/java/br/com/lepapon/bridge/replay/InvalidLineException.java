package br.com.lepapon.bridge.replay;

/** A line of an input file that cannot be replayed; the message is the reason, safe to log. */
final class InvalidLineException extends Exception {

    InvalidLineException(String reason) {
        super(reason, null, false, false);
    }
}
