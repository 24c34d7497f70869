package io.nearline.operators.members;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StartedTitlesTest {

    private static final Instant T0 = Instant.parse("2026-11-30T20:00:00Z");

    @Test
    void eachStartEmitsTheMembersTitlesStartedWithinTheWindowNewestFirst() throws Exception {
        try (KeyedOneInputStreamOperatorTestHarness<String, UiEvent, RecommendationRow> harness = harness()) {
            harness.processElement(event("e1", EventKind.PLAY_STARTED, "t1", T0), 0);
            harness.processElement(event("e2", EventKind.PLAY_COMPLETED, "t1", T0.plusSeconds(30)), 0);
            harness.processElement(event("e3", EventKind.PLAY_STARTED, "t2", T0.plusSeconds(60)), 0);
            harness.processElement(event("e4", EventKind.PLAY_STARTED, "t1", T0.plusSeconds(120)), 0);
            // At 11 min 50 s, t2 (started at 1 min) has left the ten-minute window; t1 (restarted at 2 min) has not.
            harness.processElement(event("e5", EventKind.PLAY_STARTED, "t3", T0.plusSeconds(710)), 0);

            List<RecommendationRow> rows = harness.extractOutputValues();
            assertThat(rows).extracting(RecommendationRow::getTitles).containsExactly(
                    List.of("t1"), List.of("t2", "t1"), List.of("t1", "t2"), List.of("t3", "t1"));
            assertThat(rows).allSatisfy(r -> assertThat(r.getRowName()).isEqualTo(RowNames.WATCHING));
            // Scores are seconds before the newest start: the online service works out each start time.
            assertThat(rows.get(2).getScores()).containsExactly(0f, 60f);
            assertThat(rows.get(3).getScores()).containsExactly(0f, 590f);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, UiEvent, RecommendationRow> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new StartedTitles(Duration.ofMinutes(10)),
                UiEvent::getMemberId, Types.STRING);
    }

    private static UiEvent event(String id, EventKind kind, String title, Instant time) {
        return UiEvents.event(id, "m1", time, UiEvents.payload(kind, title));
    }
}
