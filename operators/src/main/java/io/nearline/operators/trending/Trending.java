package io.nearline.operators.trending;

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

    /** The uid of the stateless extraction of plays (kept stable with the others). */
    public static final String PLAYS_UID = "trending-plays";
    /**
     * The uid of the window operator counting plays per region, title and pane. (Before panes it counted per
     * sliding window under the uid "trending-window-counts"; a savepoint of then restores with
     * {@code --allow-non-restored-state} and trending rows are complete again one window later.)
     */
    public static final String PANE_COUNTS_UID = "trending-pane-counts";
    /** The uid of the ranking per region ({@link TopTitles}). */
    public static final String TOP_TITLES_UID = "trending-top-titles";
    /** All of the above. */
    public static final java.util.List<String> UIDS = java.util.List.of(PLAYS_UID, PANE_COUNTS_UID, TOP_TITLES_UID);

    private Trending() {}

    /** The trending rows of the events, which must carry event time and watermarks already. */
    public static SingleOutputStreamOperator<TrendingRow> rows(DataStream<UiEvent> events, TrendingOptions.Settings settings) {
        return events
                .flatMap(new PlaysByRegion())
                .uid(PLAYS_UID)
                .name("trending plays")
                .keyBy(new RegionAndTitle())
                .window(TumblingEventTimeWindows.of(settings.pane()))
                .allowedLateness(settings.allowedLateness())
                .aggregate(new CountPlays(), new WindowCount())
                .uid(PANE_COUNTS_UID)
                .name("trending pane counts")
                .keyBy(new Region())
                .process(new TopTitles(settings))
                .uid(TOP_TITLES_UID)
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
