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

/**
 * The ranking per region on Flink's keyed harness, driven by event-time watermarks: windows of 15 minutes
 * sliding by 5, from pane counts of 5 minutes (each window sums three panes, each pane is in three windows).
 */
class TrendingTopTitlesTest {

    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-21T12:00:00Z").toEpochMilli();
    private static final Duration SIZE = Duration.ofMinutes(15);
    private static final Duration SLIDE = Duration.ofMinutes(5);

    private static TopTitles topTitles(int topN, long minCount, Duration lateness) {
        return new TopTitles(SIZE, SLIDE, topN, minCount, lateness);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness(TopTitles function)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(function, count -> count.region, Types.STRING);
    }

    /** The end of pane {@code k} (from T0 + 5k to T0 + 5k + 5 minutes), also the end of the window ending with it. */
    private static long end(int k) {
        return T0 + (5L * k + 5) * MINUTE;
    }

    /** A count of pane {@code k} as the window operator emits it: timestamped with the pane's last millisecond. */
    private static void count(KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness,
            String region, String title, long count, int k) throws Exception {
        harness.processElement(new TitleCount(region, title, count, end(k) - 5 * MINUTE, end(k)), end(k) - 1);
    }

    private static List<TrendingRow> rows(KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness) {
        return harness.extractOutputValues();
    }

    /** Rows as minutes from T0 to the window's end = titles and counts. */
    private static List<String> described(KeyedOneInputStreamOperatorTestHarness<String, TitleCount, TrendingRow> harness) {
        return rows(harness).stream().map(row -> {
            assertThat(row.getWindowStart()).isEqualTo(row.getWindowEnd().minus(SIZE));
            return row.getRegion() + "@" + (row.getWindowEnd().toEpochMilli() - T0) / MINUTE + "=" + row.getTitles() + row.getCounts();
        }).toList();
    }

    @Test
    void aWindowsRowSumsItsPanesMostPlayedFirstCutAtTopN() throws Exception {
        try (var harness = harness(topTitles(3, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 2, 0);
            count(harness, "US", "t-b", 4, 0);
            count(harness, "US", "t-b", 5, 1);
            count(harness, "US", "t-c", 2, 1);
            count(harness, "US", "t-d", 7, 1);
            count(harness, "US", "t-a", 3, 2);
            count(harness, "US", "t-e", 7, 2);

            harness.processWatermark(end(2) - 2);
            assertThat(described(harness)).containsExactly("US@5=[t-b, t-a][4, 2]", "US@10=[t-b, t-d, t-a][9, 7, 2]");

            harness.processWatermark(end(2) - 1);
            // Ties (t-d, t-e at 7) by title id; t-a (5) and t-c (2) are cut by top 3.
            assertThat(described(harness)).last().isEqualTo("US@15=[t-b, t-d, t-e][9, 7, 7]");

            harness.processWatermark(end(10));
            // The later windows hold fewer of the panes; none is emitted once no pane is left.
            assertThat(described(harness)).hasSize(5).endsWith("US@20=[t-d, t-e, t-b][7, 7, 5]", "US@25=[t-e, t-a][7, 3]");
        }
    }

    @Test
    void titlesBelowTheMinimumCountAreLeftOutAndAWindowWithNoneLeftGetsAnEmptyRow() throws Exception {
        try (var harness = harness(topTitles(25, 3, Duration.ZERO))) {
            count(harness, "DE", "t-a", 2, 0);
            count(harness, "DE", "t-b", 1, 0);
            count(harness, "DE", "t-a", 1, 1);
            count(harness, "DE", "t-c", 2, 1);

            harness.processWatermark(end(10));

            // Every title below the minimum: the row is emitted empty, replacing the region's previous one.
            assertThat(described(harness)).containsExactly("DE@5=[][]", "DE@10=[t-a][3]", "DE@15=[t-a][3]", "DE@20=[][]");
        }
    }

    @Test
    void regionsAreRankedSeparately() throws Exception {
        try (var harness = harness(topTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 4, 0);
            count(harness, "US", "t-b", 1, 0);
            count(harness, "DE", "t-b", 3, 0);
            count(harness, PlaysByRegion.ALL, "t-a", 4, 0);
            count(harness, PlaysByRegion.ALL, "t-b", 4, 0);

            harness.processWatermark(end(0) - 1);

            assertThat(described(harness)).containsExactlyInAnyOrder("US@5=[t-a, t-b][4, 1]", "DE@5=[t-b][3]", "ALL@5=[t-a, t-b][4, 4]");
        }
    }

    @Test
    void countsOfLaterPanesWaitForTheirWindowsTimers() throws Exception {
        try (var harness = harness(topTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, 0);
            // The next pane's counts can be buffered before the current window is emitted.
            count(harness, "US", "t-a", 5, 1);
            count(harness, "US", "t-b", 8, 1);

            harness.processWatermark(end(0) - 1);
            assertThat(described(harness)).containsExactly("US@5=[t-a][3]");
            assertThat(harness.numEventTimeTimers()).isEqualTo(1);
            assertThat(harness.numKeyedStateEntries()).isEqualTo(1);

            harness.processWatermark(end(1) - 1);
            assertThat(described(harness)).containsExactly("US@5=[t-a][3]", "US@10=[t-a, t-b][8, 8]");
        }
    }

    @Test
    void aLateCountStillCountsInTheWindowsNotEmittedYetAndIsDroppedOnceAllAre() throws Exception {
        try (var harness = harness(topTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, 0);
            harness.processWatermark(end(0) - 1);
            assertThat(described(harness)).containsExactly("US@5=[t-a][3]");

            // Pane 0's first window is out, its next two are not: the late count joins those.
            count(harness, "US", "t-late", 1, 0);
            harness.processWatermark(end(2) - 1);
            assertThat(described(harness)).containsExactly("US@5=[t-a][3]", "US@10=[t-a, t-late][3, 1]", "US@15=[t-a, t-late][3, 1]");

            // Now every window of pane 0 is out: dropped, it never mixes into a later window.
            count(harness, "US", "t-later", 100, 0);
            count(harness, "US", "t-b", 2, 3);
            harness.processWatermark(end(10));

            assertThat(described(harness)).hasSize(6).endsWith("US@20=[t-b][2]", "US@25=[t-b][2]", "US@30=[t-b][2]");
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void stateAndTimersAreClearedOnceThePanesLastWindowIsEmitted() throws Exception {
        try (var harness = harness(topTitles(2, 1, Duration.ZERO))) {
            for (String region : List.of("US", "DE", PlaysByRegion.ALL)) {
                for (int title = 0; title < 10; title++) {
                    count(harness, region, "t-" + title, title + 1, 0);
                }
            }
            assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
            assertThat(harness.numEventTimeTimers()).isEqualTo(3); // one per region and window, not per title

            harness.processWatermark(end(2) - 1);

            assertThat(rows(harness)).hasSize(9); // three windows of three regions
            assertThat(harness.numKeyedStateEntries()).isZero();
            assertThat(harness.numEventTimeTimers()).isZero();

            harness.processWatermark(end(20));
            assertThat(rows(harness)).hasSize(9); // nothing left to emit again
        }
    }

    @Test
    void allowedLatenessDelaysTheRowAndTheNewestCountOfALateFiringWins() throws Exception {
        Duration lateness = Duration.ofMinutes(2);
        try (var harness = harness(topTitles(25, 1, lateness))) {
            count(harness, "US", "t-a", 2, 0);
            count(harness, "US", "t-b", 3, 0);

            harness.processWatermark(end(0) - 1);
            assertThat(rows(harness)).isEmpty();

            // Late plays within the lateness: the window operator fires the pane again with t-a's whole count.
            count(harness, "US", "t-a", 4, 0);
            harness.processWatermark(end(0) - 1 + lateness.toMillis() - 1);
            assertThat(rows(harness)).isEmpty();

            harness.processWatermark(end(0) - 1 + lateness.toMillis());
            assertThat(described(harness)).containsExactly("US@5=[t-a, t-b][4, 3]");
        }
    }

    @Test
    void bufferedCountsSurviveARestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var harness = harness(topTitles(25, 1, Duration.ZERO))) {
            count(harness, "US", "t-a", 3, 0);
            count(harness, "US", "t-b", 6, 1);
            harness.processWatermark(end(0) - 1);
            snapshot = harness.snapshot(1, 1);
        }
        try (var restored = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(topTitles(25, 1, Duration.ZERO)), (TitleCount c) -> c.region, Types.STRING)) {
            restored.initializeState(snapshot);
            restored.open();
            assertThat(restored.numEventTimeTimers()).isEqualTo(1);

            restored.processWatermark(end(1) - 1);

            assertThat(described(restored)).containsExactly("US@10=[t-b, t-a][6, 3]");
        }
    }

    @Test
    void panesAreTheGreatestCommonDivisorOfSizeAndSlide() {
        assertThat(new TrendingOptions.Settings(Duration.ofHours(1), Duration.ofMinutes(5), 25, 3, Duration.ZERO).pane())
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(new TrendingOptions.Settings(Duration.ofMinutes(10), Duration.ofMinutes(4), 25, 3, Duration.ZERO).pane())
                .isEqualTo(Duration.ofMinutes(2));
    }
}
