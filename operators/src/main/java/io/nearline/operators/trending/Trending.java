package io.nearline.operators.trending;

import io.nearline.operators.OperatorUids;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * "Trending Now": the most played titles per region in sliding event-time windows.
 *
 * <pre>
 * events (event time) ─► plays by region: (country, title) and (ALL, title)
 *   ─► keyBy(region, title) ─► tumbling pane (gcd of size and slide): incremental count, pane attached
 *   ─► keyBy(region) ─► top titles: pane counts buffered, summed per sliding window on an event-time timer at its end
 * </pre>
 *
 * The counting is keyed by region and title, so the plays of a popular region (and of {@link PlaysByRegion#ALL})
 * spread over all subtasks; only the per-window counts, one per title played, meet at their region's ranking.
 */
public final class Trending {

    private Trending() {}

    /** The trending rows of the events, which must carry event time and watermarks already. */
    public static SingleOutputStreamOperator<TrendingRow> rows(DataStream<UiEvent> events, TrendingOptions.Settings settings) {
        return events
                .flatMap(new PlaysByRegion())
                .uid(OperatorUids.TRENDING_PLAYS)
                .name("trending plays")
                .keyBy(new RegionAndTitle())
                .window(TumblingEventTimeWindows.of(settings.pane()))
                .allowedLateness(settings.allowedLateness())
                .aggregate(new CountPlays(), new WindowCount())
                .uid(OperatorUids.TRENDING_PANE_COUNTS)
                .name("trending pane counts")
                .keyBy(new Region())
                .process(new TopTitles(settings))
                .uid(OperatorUids.TRENDING_TOP_TITLES)
                .name("trending top titles");
    }

    /** Keys plays by region and title. */
    public static final class RegionAndTitle implements KeySelector<Tuple2<String, String>, Tuple2<String, String>> {
        private static final long serialVersionUID = 1L;

        @Override
        public Tuple2<String, String> getKey(Tuple2<String, String> play) {
            return play;
        }
    }

    /** Keys window counts by region. */
    public static final class Region implements KeySelector<TitleCount, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(TitleCount count) {
            return count.region;
        }
    }
}
