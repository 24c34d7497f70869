package io.nearline.operators.kafka;

import io.nearline.schemas.ArtifactDescriptorCodec;
import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads artifact descriptors from the {@code published} topic (Avro single-object encoding, as
 * {@code bin/nearline publish} writes them). A record that is not a descriptor is skipped with a log line:
 * it must never stop the job, and there is nothing to retry.
 */
public final class DescriptorDeserializer implements KafkaRecordDeserializationSchema<ArtifactDescriptor> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorDeserializer.class);

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<ArtifactDescriptor> out) {
        if (record.value() == null) {
            return;
        }
        try {
            out.collect(ArtifactDescriptorCodec.decode(record.value()));
        } catch (Exception e) {
            LOG.warn("skipping record {}-{}@{} of {} bytes: not an artifact descriptor ({})", record.topic(),
                    record.partition(), record.offset(), record.value().length, e.toString());
        }
    }

    @Override
    public TypeInformation<ArtifactDescriptor> getProducedType() {
        return TypeInformation.of(ArtifactDescriptor.class);
    }
}
