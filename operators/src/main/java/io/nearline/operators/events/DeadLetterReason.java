package io.nearline.operators.events;

import java.util.Locale;

/** Why a record could not become a valid event. The name in headers and metrics is {@link #label()}. */
public enum DeadLetterReason {
    /** Not Avro single-object encoding (no marker), or an empty record. */
    NOT_AVRO,
    /** Single-object Avro whose schema fingerprint matches no version we keep. */
    UNKNOWN_SCHEMA,
    /** The datum ends before the schema says it should. */
    TRUNCATED,
    /** An enum value outside the symbols of its schema. */
    UNKNOWN_ENUM_SYMBOL,
    /** Bytes that Avro cannot read for another reason, such as a negative length. */
    MALFORMED,
    /** An event, member, profile or title id that is missing or blank. */
    MISSING_ID,
    /** An id longer than {@value EventValidator#MAX_ID_LENGTH} characters or with control characters. */
    INVALID_ID,
    /** An event time before 2000-01-01. */
    EVENT_TIME_TOO_OLD,
    /** An event time further in the future than the configured margin. */
    EVENT_TIME_IN_FUTURE,
    /** A NaN, infinite or negative position or duration, or a rating out of range. */
    INVALID_NUMBER;

    /** The lower-case, dash-separated name used in headers and metric names, such as {@code not-avro}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
