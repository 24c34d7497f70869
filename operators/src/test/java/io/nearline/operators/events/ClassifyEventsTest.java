package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassifyEventsTest {

    private static List<EventKind> route(Set<EventKind> timeSensitive, List<EventKind> timeSensitiveOut,
            List<EventKind> dataOut) throws Exception {
        try (OneInputStreamOperatorTestHarness<UiEvent, UiEvent> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(new ClassifyEvents(timeSensitive))) {
            for (EventKind kind : EventKind.values()) {
                harness.processElement(TestEvents.event("e-" + kind, "m", kind), 0);
            }
            harness.extractOutputValues().forEach(e -> timeSensitiveOut.add(EventKind.of(e)));
            harness.getSideOutput(ClassifyEvents.BULK_DATA).stream().map(StreamRecord::getValue)
                    .forEach(e -> dataOut.add(EventKind.of(e)));
            return timeSensitiveOut;
        }
    }

    @Test
    void defaultsSendPlaysRatingsAndListChangesOnAndTheRestToData() throws Exception {
        List<EventKind> events = new java.util.ArrayList<>();
        List<EventKind> data = new java.util.ArrayList<>();

        route(EventOptions.timeSensitiveKinds(new Configuration()), events, data);

        assertThat(events).containsExactlyInAnyOrder(EventKind.PLAY_STARTED, EventKind.PLAY_STOPPED,
                EventKind.PLAY_COMPLETED, EventKind.RATING, EventKind.LIST_ADD, EventKind.LIST_REMOVE);
        assertThat(data).containsExactlyInAnyOrder(EventKind.IMPRESSION, EventKind.BROWSE, EventKind.SCROLL,
                EventKind.SEARCH, EventKind.PLAY_PROGRESS);
    }

    @Test
    void configurationDecidesWhichKindsAreEvents() throws Exception {
        Configuration config = new Configuration();
        config.set(EventOptions.TIME_SENSITIVE_KINDS, List.of("search", "PLAY_PROGRESS"));
        List<EventKind> events = new java.util.ArrayList<>();
        List<EventKind> data = new java.util.ArrayList<>();

        route(EventOptions.timeSensitiveKinds(config), events, data);

        assertThat(events).containsExactlyInAnyOrder(EventKind.SEARCH, EventKind.PLAY_PROGRESS);
        assertThat(data).hasSize(EventKind.values().length - 2).doesNotContain(EventKind.SEARCH);
    }

    @Test
    void emptyConfigurationMakesEverythingData() throws Exception {
        List<EventKind> events = new java.util.ArrayList<>();
        List<EventKind> data = new java.util.ArrayList<>();

        route(EnumSet.noneOf(EventKind.class), events, data);

        assertThat(events).isEmpty();
        assertThat(data).hasSize(EventKind.values().length);
    }

    @Test
    void unknownKindInConfigurationIsNamed() {
        Configuration config = new Configuration();
        config.set(EventOptions.TIME_SENSITIVE_KINDS, List.of("rating", "teleport"));

        assertThatThrownBy(() -> EventOptions.timeSensitiveKinds(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nearline.events.time-sensitive-kinds")
                .hasMessageContaining("teleport");
    }
}
