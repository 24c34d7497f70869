package io.nearline.serving.events;

import io.nearline.operators.events.EventOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.serving.ServingOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/**
 * The settings of {@code POST /v1/events}, read and checked once at the service's start. The topic and the allowed
 * clock skew are the job's own options, so that the service accepts what the job will.
 */
public record EventSettings(int maxRequestBytes, int maxBatch, Duration ackTimeout, String topic, Duration maxFutureSkew) {

    static final Duration MIN_ACK_TIMEOUT = Duration.ofMillis(100);

    /** The settings, or an IllegalArgumentException whose one line names the option that is out of range. */
    public static EventSettings from(ReadableConfig config) {
        long maxBytes = config.get(ServingOptions.EVENTS_MAX_REQUEST_SIZE).getBytes();
        // A body is read into one array.
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(ServingOptions.EVENTS_MAX_REQUEST_SIZE.key()
                    + " must be between 1 byte and 2 gb, not " + maxBytes + " bytes");
        }
        int maxBatch = config.get(ServingOptions.EVENTS_MAX_BATCH);
        if (maxBatch < 1) {
            throw new IllegalArgumentException(ServingOptions.EVENTS_MAX_BATCH.key() + " must be at least 1, not " + maxBatch);
        }
        Duration ackTimeout = config.get(ServingOptions.EVENTS_ACK_TIMEOUT);
        if (ackTimeout.compareTo(MIN_ACK_TIMEOUT) < 0) {
            throw new IllegalArgumentException(ServingOptions.EVENTS_ACK_TIMEOUT.key() + " must be at least "
                    + MIN_ACK_TIMEOUT.toMillis() + " ms, not " + ackTimeout.toMillis() + " ms");
        }
        String topic = config.get(KafkaOptions.EVENTS_TOPIC);
        if (topic.isBlank()) {
            throw new IllegalArgumentException(KafkaOptions.EVENTS_TOPIC.key() + " is blank");
        }
        return new EventSettings((int) maxBytes, maxBatch, ackTimeout, topic, config.get(EventOptions.MAX_FUTURE_SKEW));
    }
}
