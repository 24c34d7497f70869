package io.nearline.operators.trending;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Attaches the key and the pane to the count {@link CountPlays} computed, so the ranking downstream can
 * place it in its sliding windows. Each firing reports the pane's whole count so far (a late firing repeats the
 * title with a higher count; it does not carry a difference).
 */
public class WindowCount extends ProcessWindowFunction<Long, TitleCount, Tuple2<String, String>, TimeWindow> {

    private static final long serialVersionUID = 1L;

    @Override
    public void process(Tuple2<String, String> regionAndTitle, Context context, Iterable<Long> counts,
            Collector<TitleCount> out) {
        TimeWindow window = context.window();
        for (Long count : counts) { // exactly one: the aggregate's result
            out.collect(new TitleCount(regionAndTitle.f0, regionAndTitle.f1, count, window.getStart(), window.getEnd()));
        }
    }
}
