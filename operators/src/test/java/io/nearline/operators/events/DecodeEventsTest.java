package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.nearline.operators.events.TestEvents.NOW;
import static org.assertj.core.api.Assertions.assertThat;

class DecodeEventsTest {

    @Test
    void validEventsGoOnAndBadRecordsBecomeDeadLettersWithTheirOrigin() throws Exception {
        DecodeEvents function = new DecodeEvents(Duration.ofMinutes(5));
        try (OneInputStreamOperatorTestHarness<RawEvent, UiEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(NOW.toEpochMilli());
            UiEvent good = TestEvents.event("e-1", "m-1", EventKind.PLAY_COMPLETED);
            byte[] garbage = "not an event".getBytes();

            harness.processElement(TestEvents.raw(good, 10), 0);
            harness.processElement(TestEvents.raw(garbage, 11), 0);
            harness.processElement(TestEvents.raw(new byte[0], 12), 0);

            assertThat(harness.extractOutputValues()).containsExactly(good);
            List<DeadLetter> letters = harness.getSideOutput(DecodeEvents.DEAD_LETTERS).stream()
                    .map(StreamRecord::getValue)
                    .toList();
            assertThat(letters).hasSize(2);
            DeadLetter first = letters.get(0);
            assertThat(first.reason).isEqualTo(DeadLetterReason.NOT_AVRO);
            assertThat(first.value).isEqualTo(garbage);
            assertThat(first.sourceTopic).isEqualTo("ui-events");
            assertThat(first.sourcePartition).isEqualTo(3);
            assertThat(first.sourceOffset).isEqualTo(11);
            assertThat(first.rejectedAt).isEqualTo(NOW.toEpochMilli());
            assertThat(letters.get(1).sourceOffset).isEqualTo(12);
            assertThat(function.deadLetterCount(DeadLetterReason.NOT_AVRO)).isEqualTo(2);
            assertThat(function.deadLetterCount(DeadLetterReason.TRUNCATED)).isZero();
        }
    }

    @Test
    void futureMarginIsMeasuredAgainstProcessingTime() throws Exception {
        DecodeEvents function = new DecodeEvents(Duration.ofMinutes(1));
        try (OneInputStreamOperatorTestHarness<RawEvent, UiEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            UiEvent event = UiEvent.newBuilder(TestEvents.event("e-1", "m-1", EventKind.RATING))
                    .setEventTime(NOW.plusSeconds(120))
                    .build();

            harness.setProcessingTime(NOW.toEpochMilli());
            harness.processElement(TestEvents.raw(event, 1), 0);
            harness.setProcessingTime(NOW.plusSeconds(90).toEpochMilli());
            harness.processElement(TestEvents.raw(event, 2), 0);

            assertThat(harness.getSideOutput(DecodeEvents.DEAD_LETTERS)).extracting(r -> r.getValue().reason)
                    .containsExactly(DeadLetterReason.EVENT_TIME_IN_FUTURE);
            assertThat(harness.extractOutputValues()).containsExactly(event);
        }
    }

    @Test
    void everyKindOfMalformedRecordBecomesADeadLetterWithItsReason() throws Exception {
        DecodeEvents function = new DecodeEvents(Duration.ofMinutes(5));
        java.util.Map<DeadLetterReason, byte[]> bad = MalformedRecords.oneOfEachReason("h", NOW);
        try (OneInputStreamOperatorTestHarness<RawEvent, UiEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(NOW.toEpochMilli());
            long offset = 0;
            for (byte[] bytes : bad.values()) {
                harness.processElement(TestEvents.raw(bytes, offset++), 0);
            }

            assertThat(harness.extractOutputValues()).isEmpty();
            java.util.Map<DeadLetterReason, byte[]> letters = new java.util.EnumMap<>(DeadLetterReason.class);
            harness.getSideOutput(DecodeEvents.DEAD_LETTERS).forEach(r -> letters.put(r.getValue().reason, r.getValue().value));
            assertThat(letters.keySet()).containsExactlyInAnyOrder(DeadLetterReason.values());
            bad.forEach((reason, bytes) -> {
                assertThat(letters.get(reason)).as("original bytes of the %s record", reason).isEqualTo(bytes);
                assertThat(function.deadLetterCount(reason)).isEqualTo(1);
            });
        }
    }
}
