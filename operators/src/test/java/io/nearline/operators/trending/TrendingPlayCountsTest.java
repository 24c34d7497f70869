package io.nearline.operators.trending;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.DeviceType;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole trending graph (plays, sliding windows, ranking) on a local Flink cluster of parallelism 2. */
class TrendingPlayCountsTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private final AtomicInteger ids = new AtomicInteger();

    private UiEvent event(String country, EventKind kind, String title, Duration after) {
        UiEvent event = UiEvents.event("e-" + ids.incrementAndGet(), "m-" + ids.get(), T0.plus(after),
                UiEvents.payload(kind, title));
        event.setContext(UiEvents.context(DeviceType.TV, country));
        return event;
    }

    private static Duration min(int minutes) {
        return Duration.ofMinutes(minutes);
    }

    /** Runs the graph over the events (in event-time order) and returns its rows as region@window-end=titles+counts. */
    private static List<String> trending(List<UiEvent> events, TrendingOptions.Settings settings) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2);
        var timed = env.fromData(events).assignTimestampsAndWatermarks(WatermarkStrategy.<UiEvent>forMonotonousTimestamps()
                .withTimestampAssigner((event, previous) -> event.getEventTime().toEpochMilli()));
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<TrendingRow> out = Trending.rows(timed, settings).executeAndCollect()) {
            out.forEachRemaining(row -> {
                assertThat(row.getWindowStart()).isEqualTo(row.getWindowEnd().minus(settings.windowSize()));
                rows.add(row.getRegion() + "@" + Duration.between(T0, row.getWindowEnd()).toMinutes() + "="
                        + row.getTitles() + row.getCounts());
            });
        }
        return rows;
    }

    @Test
    void playsAreCountedPerRegionAndForAllInEverySlidingWindowTheyFallIn() throws Exception {
        List<UiEvent> events = List.of(
                event("US", EventKind.PLAY_STARTED, "t-a", min(1)),
                event("US", EventKind.RATING, "t-z", min(1)),
                event("US", EventKind.PLAY_COMPLETED, "t-a", min(2)),
                event("US", EventKind.PLAY_PROGRESS, "t-z", min(2)),
                event("de", EventKind.PLAY_STARTED, "t-a", min(3)),
                event("US", EventKind.PLAY_STOPPED, "t-z", min(4)),
                event("US", EventKind.PLAY_STARTED, "t-b", min(6)),
                event("not-a-country", EventKind.PLAY_STARTED, "t-c", min(7)),
                event("US", EventKind.LIST_ADD, "t-z", min(8)));

        // Windows of 10 minutes sliding by 5: each play falls in two of them.
        List<String> rows = trending(events, new TrendingOptions.Settings(min(10), min(5), 10, 1, Duration.ZERO));

        assertThat(rows).containsExactlyInAnyOrder(
                "US@5=[t-a][2]", "DE@5=[t-a][1]", "ALL@5=[t-a][3]",
                "US@10=[t-a, t-b][2, 1]", "DE@10=[t-a][1]", "ALL@10=[t-a, t-b, t-c][3, 1, 1]",
                "US@15=[t-b][1]", "ALL@15=[t-b, t-c][1, 1]");
    }

    @Test
    void onlyTitlesWithTheMinimumCountWithinTheWindowTrendUpToTopN() throws Exception {
        List<UiEvent> events = new ArrayList<>();
        // Every 30 s from 0 to 6:30: t-d 5 plays, t-a 4, t-b 3, t-c 2; 4 plays of them from 5:00 on.
        String[] plays = {"t-d", "t-a", "t-b", "t-c", "t-d", "t-a", "t-b", "t-d", "t-c", "t-a", "t-b", "t-d", "t-a", "t-d"};
        for (int i = 0; i < plays.length; i++) {
            events.add(event("FR", EventKind.PLAY_STARTED, plays[i], Duration.ofSeconds(30L * i)));
        }
        // Later, t-a alone is played 3 times.
        for (int i = 0; i < 3; i++) {
            events.add(event("FR", EventKind.PLAY_STARTED, "t-a", min(16).plusSeconds(i)));
        }

        List<String> rows = trending(events, new TrendingOptions.Settings(min(10), min(5), 2, 3, Duration.ZERO));

        // One region's rows come in order of window end; all plays are from FR, so ALL has the same rows.
        assertThat(rows).filteredOn(row -> row.startsWith("FR@")).containsExactly(
                "FR@5=[t-a, t-d][3, 3]", // before 5:00: t-a and t-d 3 each (ties by title), t-b and t-c 2
                "FR@10=[t-d, t-a][5, 4]", // t-b has 3 but is cut by the top 2
                "FR@15=[][]", // 5:00 to 15:00: t-d 2, t-a and t-b 1: none reaches 3, the row is emptied
                "FR@20=[t-a][3]",
                "FR@25=[t-a][3]");
        assertThat(rows).filteredOn(row -> row.startsWith("ALL@"))
                .containsExactly("ALL@5=[t-a, t-d][3, 3]", "ALL@10=[t-d, t-a][5, 4]", "ALL@15=[][]", "ALL@20=[t-a][3]",
                        "ALL@25=[t-a][3]");
    }

    @Test
    void playsAreStartsAndCompletionsOfTheTitleInTheirCountry() {
        PlaysByRegion plays = new PlaysByRegion();
        List<Tuple2<String, String>> out = new ArrayList<>();
        org.apache.flink.util.Collector<Tuple2<String, String>> collector = new org.apache.flink.util.Collector<>() {
            @Override
            public void collect(Tuple2<String, String> record) {
                out.add(record);
            }

            @Override
            public void close() {}
        };
        for (EventKind kind : EventKind.values()) {
            plays.flatMap(event(" gb ", kind, "t-" + kind.externalName(), min(0)), collector);
        }
        plays.flatMap(event("", EventKind.PLAY_STARTED, "t-nowhere", min(0)), collector);
        plays.flatMap(event("ALL", EventKind.PLAY_COMPLETED, "t-all", min(0)), collector);

        assertThat(out).containsExactly(
                Tuple2.of("GB", "t-play-started"), Tuple2.of(PlaysByRegion.ALL, "t-play-started"),
                Tuple2.of("GB", "t-play-completed"), Tuple2.of(PlaysByRegion.ALL, "t-play-completed"),
                Tuple2.of(PlaysByRegion.ALL, "t-nowhere"),
                Tuple2.of(PlaysByRegion.ALL, "t-all"));
    }
}
