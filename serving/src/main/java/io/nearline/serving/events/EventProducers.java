package io.nearline.serving.events;

import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Properties;

/** The Kafka producer of {@code POST /v1/events}: idempotent, acks from all in-sync replicas, bounded in time. */
public final class EventProducers {

    /** Short: a request waits for its acknowledgements, and this lets concurrent requests share a produce request. */
    static final int LINGER_MS = 5;

    private EventProducers() {}

    public static Producer<byte[], byte[]> create(ReadableConfig config, Duration ackTimeout) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, ackTimeout.toMillis());
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "nearline-serving-events");
        props.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        // The producer gives up within the time a request waits, so that a record the answer calls not acknowledged
        // is not retried for minutes behind the client's back; Kafka wants request + linger <= delivery timeout.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, timeoutMs - LINGER_MS));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.putAll(KafkaClientProperties.from(config)); // security, and nearline.kafka.properties.* (these win)
        // Not overridable: the endpoint's answer relies on them.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(KafkaOptions.BOOTSTRAP_SERVERS));
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
