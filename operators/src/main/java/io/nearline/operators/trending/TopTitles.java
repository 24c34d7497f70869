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
import java.util.TreeMap;

/**
 * Ranks one region's titles per window. Keyed by region, it buffers the counts the window operator emits
 * (list state: one append per count) and registers an event-time timer at the window's end plus the allowed
 * lateness; when the watermark passes it, the counts of that window, and only of that window, become the
 * region's row: titles with at least the minimum count, most played first, the top N. The buffered counts of
 * the window are then removed, so state holds only windows that have not been emitted yet.
 *
 * <p>The window operator fires a window when the watermark reaches its end, and late plays within the allowed
 * lateness fire it again with the title's new count; all of these arrive before this timer, which waits the
 * same lateness, and the highest count of a title wins. A count that arrives after its window was emitted
 * (which the window operator's own lateness handling should prevent) is dropped and counted in
 * {@code trending.lateCountsDropped}: it never leaks into the next window, and a window is emitted only once,
 * in order of window end, so the cache never goes back to an older window.
 */
public class TopTitles extends KeyedProcessFunction<String, TitleCount, TrendingRow> {

    private static final long serialVersionUID = 1L;

    /** The name of the state of counts waiting for their window's timer; shared with the savepoint tools. */
    public static final String PENDING_COUNTS = "trending-pending-counts";

    /** Most played first; ties by title id, so equal inputs give equal rows. */
    private static final Comparator<TitleCount> RANKING =
            Comparator.comparingLong((TitleCount c) -> c.count).reversed().thenComparing(c -> c.titleId);

    private final int topN;
    private final long minCount;
    private final long allowedLatenessMillis;

    private transient ListState<TitleCount> pending;
    private transient Counter lateCountsDropped;
    private transient Counter rows;

    public TopTitles(int topN, long minCount, Duration allowedLateness) {
        if (topN < 1 || minCount < 1 || allowedLateness.isNegative()) {
            throw new IllegalArgumentException("topN and minCount must be positive, allowedLateness not negative");
        }
        this.topN = topN;
        this.minCount = minCount;
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    public TopTitles(TrendingOptions.Settings settings) {
        this(settings.topN(), settings.minCount(), settings.allowedLateness());
    }

    public static ListStateDescriptor<TitleCount> pendingCounts() {
        return new ListStateDescriptor<>(PENDING_COUNTS, TypeInformation.of(TitleCount.class));
    }

    @Override
    public void open(OpenContext openContext) {
        pending = getRuntimeContext().getListState(pendingCounts());
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("trending");
        lateCountsDropped = group.counter("lateCountsDropped");
        rows = group.counter("rows");
    }

    /** When a window's row is due: its last millisecond plus the allowed lateness. */
    private long dueTime(long windowEnd) {
        return windowEnd - 1 + allowedLatenessMillis;
    }

    @Override
    public void processElement(TitleCount count, Context ctx, Collector<TrendingRow> out) throws Exception {
        long due = dueTime(count.windowEnd);
        if (due <= ctx.timerService().currentWatermark()) {
            lateCountsDropped.inc(); // its window was emitted already
            return;
        }
        pending.add(count);
        ctx.timerService().registerEventTimeTimer(due); // one timer per region and window, however many titles
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrendingRow> out) throws Exception {
        // Normally exactly one window is due: the one this timer was registered for. Grouping by window end
        // also copes with a restore under a different allowed lateness, whose timers no longer match.
        TreeMap<Long, Map<String, TitleCount>> windows = new TreeMap<>();
        for (TitleCount count : pending.get()) {
            // A late firing repeats the title with its whole, higher count.
            windows.computeIfAbsent(count.windowEnd, end -> new HashMap<>())
                    .merge(count.titleId, count, (a, b) -> a.count >= b.count ? a : b);
        }
        List<TitleCount> later = new ArrayList<>();
        Instant now = Instant.ofEpochMilli(ctx.timerService().currentProcessingTime());
        for (Map.Entry<Long, Map<String, TitleCount>> window : windows.entrySet()) {
            long due = dueTime(window.getKey());
            if (due <= timestamp) {
                out.collect(rank(ctx.getCurrentKey(), window.getValue().values(), now));
                rows.inc();
            } else {
                // A window whose timer is still ahead (allowed lateness longer than the slide).
                later.addAll(window.getValue().values());
                ctx.timerService().registerEventTimeTimer(due);
            }
        }
        if (later.isEmpty()) {
            pending.clear();
        } else {
            pending.update(later);
        }
    }

    /** The row of one region and window from the counts of its titles. */
    TrendingRow rank(String region, Iterable<TitleCount> counts, Instant computedAt) {
        List<TitleCount> eligible = new ArrayList<>();
        long windowStart = 0;
        long windowEnd = 0;
        for (TitleCount count : counts) {
            windowStart = count.windowStart;
            windowEnd = count.windowEnd;
            if (count.count >= minCount) {
                eligible.add(count);
            }
        }
        eligible.sort(RANKING);
        List<TitleCount> top = eligible.subList(0, Math.min(topN, eligible.size()));
        List<String> titles = new ArrayList<>(top.size());
        List<Long> playCounts = new ArrayList<>(top.size());
        for (TitleCount count : top) {
            titles.add(count.titleId);
            playCounts.add(count.count);
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
