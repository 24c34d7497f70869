package io.nearline.operators.kafka;

import io.nearline.operators.events.DeadLetter;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Writes a dead letter as its original bytes, with its reason and origin in {@link DeadLetterHeaders}. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private final String topic;

    public DeadLetterSerializer(String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header(DeadLetterHeaders.REASON, letter.reason.label()));
        headers.add(header(DeadLetterHeaders.DETAIL, letter.detail == null ? "" : letter.detail));
        headers.add(header(DeadLetterHeaders.SOURCE_TOPIC, letter.sourceTopic));
        headers.add(header(DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(letter.sourcePartition)));
        headers.add(header(DeadLetterHeaders.SOURCE_OFFSET, Long.toString(letter.sourceOffset)));
        headers.add(header(DeadLetterHeaders.REJECTED_AT, Instant.ofEpochMilli(letter.rejectedAt).toString()));
        return new ProducerRecord<>(topic, null, null, null, letter.value, headers);
    }

    private static RecordHeader header(String key, String value) {
        return new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8));
    }
}
