package org.attentionzoo.serve;

/** A request the server refuses: the HTTP status and the one-line message of its {@code {"error": ...}} answer. */
final class RequestException extends RuntimeException {

    private final int status;

    RequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
