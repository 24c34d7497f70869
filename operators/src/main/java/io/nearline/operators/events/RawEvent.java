package io.nearline.operators.events;

import java.util.Arrays;
import java.util.Objects;

/** A record as it came from Kafka, not yet decoded: where it came from and its bytes. A Flink POJO. */
public class RawEvent {

    public String topic;
    public int partition;
    public long offset;
    /** The Kafka record timestamp (ms), not the event time. */
    public long timestamp;
    /** The record value; empty for a record without one. */
    public byte[] value;

    public RawEvent() {}

    public RawEvent(String topic, int partition, long offset, long timestamp, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.timestamp = timestamp;
        this.value = value == null ? new byte[0] : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawEvent other
                && partition == other.partition
                && offset == other.offset
                && timestamp == other.timestamp
                && Objects.equals(topic, other.topic)
                && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset);
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " (" + value.length + " bytes)";
    }
}
