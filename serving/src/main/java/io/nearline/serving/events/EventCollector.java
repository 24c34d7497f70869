package io.nearline.serving.events;

import io.nearline.operators.events.DeadLetterReason;
import io.nearline.operators.events.DecodeResult;
import io.nearline.operators.events.EventDecoder;
import io.nearline.schemas.event.UiEvent;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Validates a request's events as the job will (its own decoder and validator over the bytes it will read) and
 * produces them to the events topic, keyed by member, waiting for Kafka's acknowledgements. All or nothing at
 * validation: one invalid event and none is sent. After validation, the answer lists exactly which events Kafka
 * acknowledged; the others were either never sent or not acknowledged in time (then they may still arrive, and a
 * client may send them again with the same ids: the job drops repeated event ids).
 */
public final class EventCollector {

    /** What became of a request's events. */
    public sealed interface Outcome permits Accepted, Rejected, Failed {}

    /** All valid and acknowledged, in request order. */
    public record Accepted(List<String> eventIds) implements Outcome {}

    /** The first invalid event: its index, why, and the one-line detail naming the field; nothing was sent. */
    public record Rejected(int index, DeadLetterReason reason, String detail) implements Outcome {}

    /** All valid, but Kafka did not acknowledge every one: which it did, which not, and the first failure. */
    public record Failed(List<String> accepted, List<String> notAccepted, String reason) implements Outcome {}

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final EventDecoder decoder;
    private final long ackTimeoutNanos;
    private final Clock clock;

    public EventCollector(Producer<byte[], byte[]> producer, String topic, Duration maxFutureSkew, Duration ackTimeout,
            Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.decoder = new EventDecoder(maxFutureSkew);
        this.ackTimeoutNanos = ackTimeout.toNanos();
        this.clock = clock;
    }

    /** Each element is one event in Avro single-object encoding, the value the job's Kafka source reads. */
    public Outcome collect(List<byte[]> events) {
        long now = clock.millis();
        List<UiEvent> valid = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            DecodeResult result = decoder.decode(events.get(i), now);
            if (!result.isValid()) {
                return new Rejected(i, result.reason(), result.detail());
            }
            valid.add(result.event());
        }
        return produce(events, valid);
    }

    private Outcome produce(List<byte[]> values, List<UiEvent> events) {
        long deadline = System.nanoTime() + ackTimeoutNanos;
        List<Future<RecordMetadata>> sends = new ArrayList<>(events.size());
        String failure = null;
        for (int i = 0; i < events.size() && failure == null; i++) {
            if (System.nanoTime() - deadline > 0) {
                failure = "Kafka took longer than " + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms to take the events";
                continue;
            }
            byte[] key = events.get(i).getMemberId().getBytes(StandardCharsets.UTF_8);
            try {
                sends.add(producer.send(new ProducerRecord<>(topic, key, values.get(i))));
            } catch (RuntimeException e) {
                // Metadata not available in time, a full buffer, or a closed producer: this one and the rest unsent.
                failure = describe(e);
            }
        }
        List<String> accepted = new ArrayList<>(events.size());
        List<String> notAccepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String id = events.get(i).getEventId();
            String error = i < sends.size() ? await(sends.get(i), deadline) : "not sent";
            if (error == null) {
                accepted.add(id);
            } else {
                notAccepted.add(id);
                failure = failure == null ? error : failure;
            }
        }
        return notAccepted.isEmpty() ? new Accepted(accepted) : new Failed(accepted, notAccepted, failure);
    }

    /** Null once Kafka acknowledged the record, else why not. */
    private String await(Future<RecordMetadata> send, long deadline) {
        try {
            send.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return null;
        } catch (ExecutionException e) {
            return describe(e.getCause());
        } catch (TimeoutException e) {
            return "not acknowledged by Kafka within " + TimeUnit.NANOSECONDS.toMillis(ackTimeoutNanos) + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for Kafka";
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").trim();
        return e.getClass().getSimpleName() + (message.length() > 300 ? message.substring(0, 300) : message);
    }
}
