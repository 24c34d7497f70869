package io.nearline.operators.trending;

import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ranking per region on Flink's keyed harness, driven by event-time watermarks. */
class TrendingTopTitlesTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
    /** Two consecutive windows of one hour sliding by five minutes. */
    private static final long W1_START = T0 - 60 * MINUTE;
    private static final long W1_END = T0;
    private static final long W2_START = W1_START + 5 * MINUTE;
    private static final long W2_END = W1_END + 5 * MINUTE;

    private static KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness(TopTitles function)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, count -> count.region, Types.STRING);
    }

    /** A count as the window operator emits it: timestamped with the window's last millisecond. */
    private static void count(KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness,
            String region, String title, long count, long windowStart, long windowEnd) throws Exception {
        harness.processElement(new TitleCount(region, title, count, windowStart, windowEnd), windowEnd - 1);
    }

    private static List<TrendingRow> rows(KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness) {
        return harness.extractOutputValues();
    }

    @Test
    void rowIsEmittedWhenTheWatermarkReachesTheWindowEndMostPlayedFirstCutAtTopN() throws Exception {
        try (var harness = harness(new TopTitles(3, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 5, W1_START, W1_END);
            count(harness, "US", "t-b", 9, W1_START, W1_END);
            count(harness, "US", "t-c", 2, W1_START, W1_END);
            count(harness, "US", "t-e", 7, W1_START, W1_END);
            count(harness, "US", "t-d", 7, W1_START, W1_END);

            harness.processWatermark(W1_END - 2);
            assertThat(rows(harness)).isEmpty();

            harness.processWatermark(W1_END - 1);
            assertThat(rows(harness)).singleElement().satisfies(row -> {
                assertThat(row.getRegion()).isEqualTo("US");
                // Ties (t-d, t-e at 7) by title id; t-a and t-c are cut by top 3.
                assertThat(row.getTitles()).containsExactly("t-b", "t-d", "t-e");
                assertThat(row.getCounts()).containsExactly(9L, 7L, 7L);
                assertThat(row.getWindowStart()).isEqualTo(Instant.ofEpochMilli(W1_START));
                assertThat(row.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W1_END));
            });
        }
    }

    @Test
    void titlesBelowTheMinimumCountAreLeftOutAndARegionWithNoneLeftGetsAnEmptyRow() throws Exception {
        try (var harness = harness(new TopTitles(25, 3, Duration.ZERO))) {
            count(harness, "DE", "t-a", 3, W1_START, W1_END);
            count(harness, "DE", "t-b", 2, W1_START, W1_END);
            count(harness, "DE", "t-c", 4, W1_START, W1_END);
            count(harness, "DE", "t-a", 2, W2_START, W2_END);
            count(harness, "DE", "t-b", 1, W2_START, W2_END);

            harness.processWatermark(W2_END);

            assertThat(rows(harness)).hasSize(2);
            assertThat(rows(harness).get(0).getTitles()).containsExactly("t-c", "t-a");
            assertThat(rows(harness).get(0).getCounts()).containsExactly(4L, 3L);
            // Every title fell below the minimum: the row is emitted empty, replacing the region's previous one.
            assertThat(rows(harness).get(1).getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W2_END));
            assertThat(rows(harness).get(1).getTitles()).isEmpty();
            assertThat(rows(harness).get(1).getCounts()).isEmpty();
        }
    }

    @Test
    void regionsAreRankedSeparately() throws Exception {
        try (var harness = harness(new TopTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 4, W1_START, W1_END);
            count(harness, "US", "t-b", 1, W1_START, W1_END);
            count(harness, "DE", "t-b", 3, W1_START, W1_END);
            count(harness, PlaysByRegion.ALL, "t-a", 4, W1_START, W1_END);
            count(harness, PlaysByRegion.ALL, "t-b", 4, W1_START, W1_END);

            harness.processWatermark(W1_END - 1);

            assertThat(rows(harness)).extracting(row -> row.getRegion() + "=" + row.getTitles() + row.getCounts())
                    .containsExactlyInAnyOrder("US=[t-a, t-b][4, 1]", "DE=[t-b][3]", "ALL=[t-a, t-b][4, 4]");
        }
    }

    @Test
    void countsOfTheNextWindowWaitForTheirOwnTimer() throws Exception {
        try (var harness = harness(new TopTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, W1_START, W1_END);
            // The next window's counts can be buffered before the current one is emitted.
            count(harness, "US", "t-a", 5, W2_START, W2_END);
            count(harness, "US", "t-b", 8, W2_START, W2_END);

            harness.processWatermark(W1_END - 1);
            assertThat(rows(harness)).singleElement().satisfies(row -> {
                assertThat(row.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W1_END));
                assertThat(row.getTitles()).containsExactly("t-a");
                assertThat(row.getCounts()).containsExactly(3L);
            });
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

            harness.processWatermark(W2_END - 1);
            assertThat(rows(harness)).hasSize(2);
            assertThat(rows(harness).get(1).getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W2_END));
            assertThat(rows(harness).get(1).getTitles()).containsExactly("t-b", "t-a");
            assertThat(rows(harness).get(1).getCounts()).containsExactly(8L, 5L);
        }
    }

    @Test
    void countOfAnAlreadyEmittedWindowIsDroppedAndNeverMixesIntoTheNext() throws Exception {
        try (var harness = harness(new TopTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, W1_START, W1_END);
            harness.processWatermark(W1_END - 1);
            assertThat(rows(harness)).hasSize(1);

            count(harness, "US", "t-late", 100, W1_START, W1_END);
            count(harness, "US", "t-b", 2, W2_START, W2_END);
            harness.processWatermark(W2_END - 1);

            assertThat(rows(harness)).hasSize(2);
            TrendingRow next = rows(harness).get(1);
            assertThat(next.getWindowEnd()).isEqualTo(Instant.ofEpochMilli(W2_END));
            assertThat(next.getTitles()).containsExactly("t-b");
            assertThat(next.getCounts()).containsExactly(2L);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void stateAndTimersAreClearedOnceTheWindowIsEmitted() throws Exception {
        try (var harness = harness(new TopTitles(2, 1, Duration.ZERO))) {
            for (String region : List.of("US", "DE", PlaysByRegion.ALL)) {
                for (int title = 0; title < 10; title++) {
                    count(harness, region, "t-" + title, title + 1, W1_START, W1_END);
                }
            }
            assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
            assertThat(harness.numEventTimeTimers()).isEqualTo(3); // one per region and window, not per title

            harness.processWatermark(W1_END - 1);

            assertThat(rows(harness)).hasSize(3);
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();

            harness.processWatermark(W2_END + 60 * MINUTE);
            assertThat(rows(harness)).hasSize(3); // nothing left to emit again
        }
    }

    @Test
    void allowedLatenessDelaysTheRowAndTheNewestCountOfALateFiringWins() throws Exception {
        Duration lateness = Duration.ofMinutes(2);
        try (var harness = harness(new TopTitles(25, 1, lateness))) {
            count(harness, "US", "t-a", 2, W1_START, W1_END);
            count(harness, "US", "t-b", 3, W1_START, W1_END);

            harness.processWatermark(W1_END - 1);
            assertThat(rows(harness)).isEmpty();

            // Late plays within the lateness: the window operator fires again with t-a's whole count.
            count(harness, "US", "t-a", 4, W1_START, W1_END);
            harness.processWatermark(W1_END - 1 + lateness.toMillis() - 1);
            assertThat(rows(harness)).isEmpty();

            harness.processWatermark(W1_END - 1 + lateness.toMillis());
            assertThat(rows(harness)).singleElement().satisfies(row -> {
                assertThat(row.getTitles()).containsExactly("t-a", "t-b");
                assertThat(row.getCounts()).containsExactly(4L, 3L);
            });
            assertThat(harness.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void bufferedCountsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(new TopTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, W1_START, W1_END);
            count(harness, "US", "t-b", 6, W1_START, W1_END);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TopTitles(25, 1, Duration.ZERO)), (TitleCount c) -> c.region, Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numEventTimeTimers()).isEqualTo(1);

            restored.processWatermark(W1_END - 1);

            assertThat(rows(restored)).singleElement().satisfies(row -> {
                assertThat(row.getTitles()).containsExactly("t-b", "t-a");
                assertThat(row.getCounts()).containsExactly(6L, 3L);
            });
        }
    }
}
