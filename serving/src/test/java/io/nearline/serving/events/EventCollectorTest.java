package io.nearline.serving.events;

import io.nearline.operators.events.DeadLetterReason;
import io.nearline.operators.events.MalformedRecords;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Validation and production with Kafka's own test double of a producer. */
class EventCollectorTest {

    private static final Instant NOW = Instant.parse("2025-03-01T20:15:00Z");
    private static final UiEventCodec CODEC = new UiEventCodec();

    private static EventCollector collector(MockProducer<byte[], byte[]> producer, Duration ackTimeout) {
        return new EventCollector(producer, "ui-events", Duration.ofMinutes(5), ackTimeout, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static MockProducer<byte[], byte[]> producer(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<byte[]> events(int count) {
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(CODEC.encode(UiEvents.event("e" + i, "member-" + (i % 2), NOW.minusSeconds(10),
                    UiEvents.payload(EventKind.PLAY_STARTED, "t" + i))));
        }
        return events;
    }

    @Test
    void validEventsAreProducedKeyedByMemberAsTheBytesTheJobReads() {
        MockProducer<byte[], byte[]> producer = producer(true);
        List<byte[]> events = events(3);

        EventCollector.Outcome outcome = collector(producer, Duration.ofSeconds(1)).collect(events);

        assertThat(outcome).isEqualTo(new EventCollector.Accepted(List.of("e0", "e1", "e2")));
        assertThat(producer.history()).extracting(ProducerRecord::topic).containsOnly("ui-events");
        assertThat(producer.history()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("member-0", "member-1", "member-0");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactlyElementsOf(events);
    }

    @ParameterizedTest
    @EnumSource(DeadLetterReason.class)
    void oneEventTheJobWouldDeadLetterRejectsTheWholeBatchAndNothingIsSent(DeadLetterReason reason) {
        MockProducer<byte[], byte[]> producer = producer(true);
        List<byte[]> events = events(4);
        events.set(2, MalformedRecords.oneOfEachReason("x", NOW).get(reason));

        EventCollector.Outcome outcome = collector(producer, Duration.ofSeconds(1)).collect(events);

        assertThat(outcome).isInstanceOfSatisfying(EventCollector.Rejected.class, rejected -> {
            assertThat(rejected.index()).isEqualTo(2);
            assertThat(rejected.reason()).isEqualTo(reason);
            assertThat(rejected.detail()).isNotBlank().doesNotContain("\n");
        });
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void whenKafkaFailsSomeEventsTheAnswerListsExactlyWhichItAcknowledged() throws Exception {
        MockProducer<byte[], byte[]> producer = producer(false);
        Thread broker = new Thread(() -> {
            while (producer.history().size() < 3) {
                Thread.onSpinWait();
            }
            producer.completeNext();
            producer.errorNext(new NotEnoughReplicasException("only 1 of 3 replicas in sync"));
            producer.completeNext();
        });
        broker.start();

        EventCollector.Outcome outcome = collector(producer, Duration.ofSeconds(30)).collect(events(3));
        broker.join();

        assertThat(outcome).isInstanceOfSatisfying(EventCollector.Failed.class, failed -> {
            assertThat(failed.accepted()).containsExactly("e0", "e2");
            assertThat(failed.notAccepted()).containsExactly("e1");
            assertThat(failed.reason()).isEqualTo("NotEnoughReplicasException: only 1 of 3 replicas in sync");
        });
    }

    @Test
    void eventsNotAcknowledgedWithinTheTimeoutAreListedAndTheRequestEndsOnTime() {
        MockProducer<byte[], byte[]> producer = producer(false);
        long start = System.nanoTime();

        EventCollector.Outcome outcome = collector(producer, Duration.ofMillis(200)).collect(events(2));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(outcome).isEqualTo(new EventCollector.Failed(List.of(), List.of("e0", "e1"),
                "not acknowledged by Kafka within 200 ms"));
    }

    @Test
    void aProducerThatRefusesToSendLeavesEveryEventNotAccepted() {
        MockProducer<byte[], byte[]> producer = producer(true);
        producer.close();

        EventCollector.Outcome outcome = collector(producer, Duration.ofSeconds(1)).collect(events(2));

        assertThat(outcome).isInstanceOfSatisfying(EventCollector.Failed.class, failed -> {
            assertThat(failed.accepted()).isEmpty();
            assertThat(failed.notAccepted()).containsExactly("e0", "e1");
            assertThat(failed.reason()).startsWith("IllegalStateException");
        });
    }

    @Test
    void anEventAheadOfTheServiceClockByMoreThanTheJobsSkewIsRejected() {
        MockProducer<byte[], byte[]> producer = producer(true);
        UiEvent ahead = UiEvents.event("e9", "m", NOW.plus(Duration.ofMinutes(6)), UiEvents.payload(EventKind.LIST_ADD, "t"));

        EventCollector.Outcome outcome = collector(producer, Duration.ofSeconds(1)).collect(List.of(CODEC.encode(ahead)));

        assertThat(outcome).isInstanceOfSatisfying(EventCollector.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(DeadLetterReason.EVENT_TIME_IN_FUTURE));
        assertThat(producer.history()).isEmpty();
    }
}
