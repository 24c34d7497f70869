package io.nearline.operators.models;

/** An artifact that must not be loaded, and why. The previous model stays active. */
public class BadArtifactException extends Exception {

    /** What is wrong with it. */
    public enum Reason {
        MISSING,
        TRUNCATED,
        CHECKSUM_MISMATCH,
        WRONG_RANK,
        UNREADABLE
    }

    private final Reason reason;

    public BadArtifactException(Reason reason, String message, Throwable cause) {
        super(reason.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + message, cause);
        this.reason = reason;
    }

    public BadArtifactException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
