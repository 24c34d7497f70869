package io.nearline.operators.trending;

import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks one region's titles per sliding window, from the play counts of panes (tumbling windows that tile the
 * sliding ones, see {@link TrendingOptions.Settings#pane()}). Keyed by region, it buffers the pane counts the
 * window operator emits (list state: one append per count) and, for each window that holds counts, has an
 * event-time timer at the window's end plus the allowed lateness; when the watermark passes it, the counts of
 * the window's panes are summed per title and become the region's row: titles with at least the minimum
 * count, most played first, the top N. Panes that no later window covers are then removed.
 *
 * <p>Counting in panes costs one state update per play and region where counting in each sliding window
 * would cost size / slide of them (12 with the defaults), and the window operator emits each title once per
 * pane rather than once per window.
 *
 * <p>The window operator fires a pane when the watermark reaches its end, and late plays within the allowed
 * lateness fire it again with the title's whole new count; the highest count of a title in a pane wins. A
 * count that arrives after every window covering its pane was emitted is dropped and counted in
 * {@code trending.lateCountsDropped}. Windows are emitted once each, in order of window end, so the cache
 * never goes back to an older window.
 */
public class TopTitles extends KeyedProcessFunction<String, TitleCount, TrendingRow> {

    private static final long serialVersionUID = 1L;

    /** The name of the state of pane counts still needed by a window; shared with the savepoint tools. */
    public static final String PANE_COUNTS = "trending-pane-counts";

    /** Most played first; ties by title id, so equal inputs give equal rows. */
    private static final Comparator<Map.Entry<String, Long>> RANKING =
            Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed().thenComparing(Map.Entry::getKey);

    private final long size;
    private final long slide;
    private final int topN;
    private final long minCount;
    private final long allowedLatenessMillis;

    private transient ListState<TitleCount> panes;
    private transient Counter lateCountsDropped;
    private transient Counter rows;

    public TopTitles(Duration windowSize, Duration slide, int topN, long minCount, Duration allowedLateness) {
        if (topN < 1 || minCount < 1 || allowedLateness.isNegative() || slide.toMillis() < 1 || windowSize.compareTo(slide) < 0) {
            throw new IllegalArgumentException("topN, minCount and slide must be positive, the window not shorter than "
                    + "the slide, allowedLateness not negative");
        }
        this.size = windowSize.toMillis();
        this.slide = slide.toMillis();
        this.topN = topN;
        this.minCount = minCount;
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public TopTitles(TrendingOptions.Settings settings) {
        this(settings.windowSize(), settings.slide(), settings.topN(), settings.minCount(), settings.allowedLateness());
    }

    public static ListStateDescriptor<TitleCount> paneCounts() {
        return new ListStateDescriptor<>(PANE_COUNTS, TypeInformation.of(TitleCount.class));
    }

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getListState(paneCounts());
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("trending");
        lateCountsDropped = group.counter("lateCountsDropped");
        rows = group.counter("rows");
    }

    /** When the row of the window starting at {@code start} is due: its last millisecond plus the allowed lateness. */
    private long dueTime(long start) {
        return start + size - 1 + allowedLatenessMillis;
    }

    /** The start of the window whose row is due at {@code time} (windows start at multiples of the slide). */
    private long windowDueAt(long time) {
        return Math.floorDiv(time + 1 - allowedLatenessMillis - size, slide) * slide;
    }

    @Override
    public void processElement(TitleCount count, Context ctx, Collector<TrendingRow> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        // The windows covering the pane start from the first whose end reaches the pane's end to the last that
        // starts at or before the pane's start.
        long first = Math.floorDiv(count.windowEnd - size + slide - 1, slide) * slide;
        long last = Math.floorDiv(count.windowStart, slide) * slide;
        if (dueTime(last) <= watermark) {
            lateCountsDropped.inc(); // every window covering its pane was emitted already
            return;
        }
        while (dueTime(first) <= watermark) {
            first += slide; // emitted without it; later windows still count it
        }
        panes.add(count);
        ctx.timerService().registerEventTimeTimer(dueTime(first)); // one timer per region and window, however many titles
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingRow> out) throws Exception {
        long start = windowDueAt(timestamp);
        long end = start + size;
        // A late firing repeats a title's pane with its whole, higher count: keep the highest per title and pane.
        Map<String, Map<Long, Long>> byTitle = new HashMap<>();
        List<TitleCount> kept = new ArrayList<>();
        boolean inNext = false;
        for (TitleCount count : panes.get()) {
            if (count.windowStart >= start && count.windowEnd <= end) {
                byTitle.computeIfAbsent(count.titleId, t -> new HashMap<>()).merge(count.windowStart, count.count, Math::max);
            }
            if (count.windowStart >= start + slide) {
                kept.add(count); // a later window covers it
                inNext |= count.windowEnd <= end + slide;
            }
        }
        if (!byTitle.isEmpty()) {
            Map<String, Long> totals = new HashMap<>(byTitle.size() * 2);
            byTitle.forEach((title, counts) -> totals.put(title, counts.values().stream().mapToLong(Long::longValue).sum()));
            out.collect(rank(ctx.getCurrentKey(), totals, start, end, Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
            rows.inc();
        }
        panes.update(kept);
        if (inNext) {
            ctx.timerService().registerEventTimeTimer(dueTime(start + slide));
        }
    }

    /** The row of one region and window from the plays of its titles. */
    TrendingRow rank(String region, Map<String, Long> totals, long windowStart, long windowEnd, Instant computedAt) {
        List<Map.Entry<String, Long>> eligible = new ArrayList<>();
        for (Map.Entry<String, Long> total : totals.entrySet()) {
            if (total.getValue() >= minCount) {
                eligible.add(total);
            }
        }
        eligible.sort(RANKING);
        List<Map.Entry<String, Long>> top = eligible.subList(0, Math.min(topN, eligible.size()));
        List<String> titles = new ArrayList<>(top.size());
        List<Long> playCounts = new ArrayList<>(top.size());
        for (Map.Entry<String, Long> total : top) {
            titles.add(total.getKey());
            playCounts.add(total.getValue());
        }
        return TrendingRow.newBuilder()
                .setRegion(region)
                .setTitles(titles)
                .setCounts(playCounts)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setComputedAt(computedAt)
                .build();
    }
}
