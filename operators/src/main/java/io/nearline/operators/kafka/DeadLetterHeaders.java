package io.nearline.operators.kafka;

/** The headers of a record on the dead-letter topic; its value is the original bytes. */
public final class DeadLetterHeaders {

    /** The reason label, such as {@code not-avro} or {@code missing-id}. */
    public static final String REASON = "nearline.dlq.reason";
    /** A one-line explanation. */
    public static final String DETAIL = "nearline.dlq.detail";
    public static final String SOURCE_TOPIC = "nearline.dlq.source-topic";
    public static final String SOURCE_PARTITION = "nearline.dlq.source-partition";
    public static final String SOURCE_OFFSET = "nearline.dlq.source-offset";
    /** When the record was rejected, ISO-8601 UTC. */
    public static final String REJECTED_AT = "nearline.dlq.rejected-at";

    private DeadLetterHeaders() {}
}
