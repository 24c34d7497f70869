package io.nearline.topology.check;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceCheckTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, UiEvent, String> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new SequenceCheck()), UiEvent::getMemberId,
                Types.STRING);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<String, UiEvent, String> harness, String member, String id)
            throws Exception {
        harness.processElement(UiEvents.event(id, member, Instant.EPOCH, UiEvents.payload(EventKind.PLAY_STARTED, "t1")), 0);
    }

    @Test
    void consecutiveNumbersPerMemberRaiseNoAlertAndEventsWithoutOneAreNotChecked() throws Exception {
        try (var harness = harness()) {
            harness.open();
            for (int n = 1; n <= 5; n++) {
                send(harness, "a", "run-a#" + n);
                send(harness, "b", "run-b#" + n);
            }
            send(harness, "a", "no-number");
            send(harness, "a", "bad#x");
            assertThat(harness.extractOutputValues()).isEmpty();
        }
    }

    @Test
    void aSkippedNumberIsAGapAndARepeatedOneARepeat() throws Exception {
        try (var harness = harness()) {
            harness.open();
            send(harness, "a", "a#1");
            send(harness, "a", "a#2");
            send(harness, "a", "a#5");
            send(harness, "a", "a#5");
            send(harness, "a", "a#6");
            assertThat(harness.extractOutputValues()).containsExactly(
                    "gap member=a expected=3 got=5 lost=2", "repeat member=a expected=6 got=5");
        }
    }

    @Test
    void theLastNumberOfEachMemberSurvivesARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness()) {
            harness.open();
            send(harness, "a", "a#1");
            send(harness, "a", "a#2");
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            send(restored, "a", "a#3");
            send(restored, "b", "b#2");
            assertThat(restored.extractOutputValues()).containsExactly("gap member=b expected=1 got=2 lost=1");
        }
    }
}
