package io.nearline.operators.models;

import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.schemas.ArtifactDescriptorCodec;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Descriptors on the {@code published} topic: announcing one, and reading back what was announced. The publish
 * command, the online service and the savepoint tools all use it.
 */
public final class Publication {

    private Publication() {}

    /** The descriptor of a checked model artifact stored at {@code location}: what publish announces. */
    public static ArtifactDescriptor describe(ModelArtifact model, byte[] bytes, String location, double trafficShare) {
        return ArtifactDescriptor.newBuilder()
                .setName(model.metadata().getName())
                .setVersion(model.metadata().getVersion())
                .setKind(model.metadata().getKind())
                .setUri(location)
                .setSha256(ModelArtifacts.sha256(bytes))
                .setSizeBytes(bytes.length)
                .setTrafficShare(trafficShare)
                .setPublishedAt(java.time.Instant.now())
                .build();
    }

    /** Sends a descriptor, keyed by the data set's name, and waits for the broker's acknowledgement. */
    public static void announce(ArtifactDescriptor descriptor, String bootstrapServers, String topic, Properties extra)
            throws Exception {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, descriptor.getName().getBytes(StandardCharsets.UTF_8),
                    ArtifactDescriptorCodec.encode(descriptor))).get(30, TimeUnit.SECONDS);
        }
    }

    /** Every readable descriptor on the topic, in publication order; an absent topic has none. */
    public static List<ArtifactDescriptor> readAll(String bootstrapServers, String topic, Properties extra) {
        Properties props = new Properties();
        props.putAll(extra);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ArtifactDescriptor> descriptors = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                return descriptors;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (assigned.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        descriptors.add(ArtifactDescriptorCodec.decode(record.value()));
                    } catch (Exception e) {
                        // Not a descriptor: the job skips such records too.
                    }
                }
            }
        }
        return descriptors;
    }

    /**
     * The version of a model that serves members now: the newest published at a full traffic share, else
     * the newest of any share; empty if none. (Versions retired with share 0 are skipped.)
     */
    public static Optional<ArtifactDescriptor> active(List<ArtifactDescriptor> descriptors, String name) {
        List<ArtifactDescriptor> models = new ArrayList<>();
        for (ArtifactDescriptor d : descriptors) {
            if (d.getKind() == ArtifactKind.MODEL && d.getName().equals(name)) {
                models.removeIf(m -> m.getVersion().equals(d.getVersion()));
                if (d.getTrafficShare() > 0) {
                    models.add(d);
                }
            }
        }
        Comparator<ArtifactDescriptor> newest = Comparator.comparing(ArtifactDescriptor::getPublishedAt);
        return models.stream().filter(d -> d.getTrafficShare() >= 1).max(newest).or(() -> models.stream().max(newest));
    }

    /** Kafka client settings of the job configuration ({@code nearline.kafka.properties.*}). */
    public static Properties clientProperties(ReadableConfig config) {
        return KafkaClientProperties.from(config);
    }
}
