package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DeduplicateEventsTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);

    private static KeyedOneInputStreamOperatorTestHarness<String, UiEvent, UiEvent> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DeduplicateEvents(WINDOW), UiEvent::getMemberId, Types.STRING);
    }

    /** A harness restored from a snapshot, as after a failure. */
    private static KeyedOneInputStreamOperatorTestHarness<String, UiEvent, UiEvent> restored(OperatorSubtaskState snapshot)
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DeduplicateEvents(WINDOW)), UiEvent::getMemberId, Types.STRING);
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }

    @Test
    void retriedEventWithinTheWindowIsDropped() throws Exception {
        try (var harness = harness()) {
            UiEvent play = TestEvents.event("e-1", "m-1", EventKind.PLAY_STARTED);
            UiEvent other = TestEvents.event("e-2", "m-1", EventKind.PLAY_STARTED);

            harness.processElement(play, 0);
            harness.processElement(play, 0);
            harness.processElement(other, 0);
            harness.setStateTtlProcessingTime(WINDOW.toMillis() - 1);
            harness.processElement(play, 0);

            assertThat(harness.extractOutputValues()).containsExactly(play, other);
        }
    }

    @Test
    void seenIdsExpireAfterTheWindow() throws Exception {
        try (var harness = harness()) {
            UiEvent play = TestEvents.event("e-1", "m-1", EventKind.PLAY_STARTED);
            harness.processElement(play, 0);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

            harness.setStateTtlProcessingTime(WINDOW.toMillis() + 1);
            harness.processElement(play, 0);

            assertThat(harness.extractOutputValues()).containsExactly(play, play);
        }
    }

    @Test
    void expiredIdsAreDroppedFromSnapshots() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.processElement(TestEvents.event("e-1", "m-1", EventKind.RATING), 0);
            harness.processElement(TestEvents.event("e-2", "m-2", EventKind.RATING), 0);
            harness.setStateTtlProcessingTime(WINDOW.toMillis() + 1);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = restored(snapshot)) {
            assertThat(restored.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void seenIdsSurviveSnapshotAndRestore() throws Exception {
        UiEvent play = TestEvents.event("e-1", "m-1", EventKind.PLAY_STARTED);
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.processElement(play, 0);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = restored(snapshot)) {
            restored.processElement(play, 0);
            restored.processElement(TestEvents.event("e-1", "m-2", EventKind.PLAY_STARTED), 0);

            assertThat(restored.extractOutputValues()).extracting(UiEvent::getMemberId).containsExactly("m-2");
        }
    }
}
