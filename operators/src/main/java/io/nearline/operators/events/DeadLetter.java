package io.nearline.operators.events;

import java.util.Arrays;
import java.util.Objects;

/** A record that could not become a valid event: its original bytes, where they came from, and why. A Flink POJO. */
public class DeadLetter {

    public DeadLetterReason reason;
    /** A one-line human explanation, such as the field that was wrong. */
    public String detail;
    public String sourceTopic;
    public int sourcePartition;
    public long sourceOffset;
    /** When the record was rejected (processing time, ms). */
    public long rejectedAt;
    /** The bytes exactly as they arrived. */
    public byte[] value;

    public DeadLetter() {}

    public DeadLetter(DeadLetterReason reason, String detail, RawEvent raw, long rejectedAt) {
        this.reason = reason;
        this.detail = detail;
        this.sourceTopic = raw.topic;
        this.sourcePartition = raw.partition;
        this.sourceOffset = raw.offset;
        this.rejectedAt = rejectedAt;
        this.value = raw.value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeadLetter other
                && reason == other.reason
                && Objects.equals(detail, other.detail)
                && Objects.equals(sourceTopic, other.sourceTopic)
                && sourcePartition == other.sourcePartition
                && sourceOffset == other.sourceOffset
                && rejectedAt == other.rejectedAt
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return reason.label() + " (" + detail + ") at " + sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }
}
