package io.nearline.serving;

/** A store that did not answer in time, or failed: the next tier answers instead. The message says which and why. */
final class TierException extends Exception {

    private static final long serialVersionUID = 1L;

    TierException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
