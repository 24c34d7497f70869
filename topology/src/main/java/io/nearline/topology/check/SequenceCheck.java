package io.nearline.topology.check;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Checks, per member, that the de-duplicated events member state consumes arrive with no sequence number
 * skipped or repeated, across restarts and restores (the idea of Flink's own end-to-end semantics checks).
 * A generator numbers each member's events 1, 2, 3, ... in their event ids, {@code <anything>#<n>}; events
 * without a number are not checked. Each anomaly becomes one alert line: a gap (events lost) or a repeat
 * (an event delivered twice past de-duplication). Keyed by member; its state is the last number seen.
 */
public class SequenceCheck extends KeyedProcessFunction<String, UiEvent, String> {

    private static final long serialVersionUID = 1L;

    /** Alerts start with one of these. */
    public static final String GAP = "gap";
    public static final String REPEAT = "repeat";

    private transient ValueState<Long> last;
    private transient Counter checked;
    private transient Counter gaps;
    private transient Counter repeats;

    @Override
    public void open(OpenContext openContext) {
        last = getRuntimeContext().getState(new ValueStateDescriptor<>("last-sequence-number", Types.LONG));
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("check");
        checked = group.counter("checked");
        gaps = group.counter("gaps");
        repeats = group.counter("repeats");
    }

    /** The sequence number in an event id, or -1 if it has none. */
    public static long sequenceNumber(String eventId) {
        int hash = eventId.lastIndexOf('#');
        if (hash < 0 || hash == eventId.length() - 1) {
            return -1;
        }
        try {
            return Long.parseLong(eventId.substring(hash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void processElement(UiEvent event, Context ctx, Collector<String> out) throws Exception {
        long n = sequenceNumber(event.getEventId());
        if (n < 0) {
            return;
        }
        checked.inc();
        Long previous = last.value();
        long expected = previous == null ? 1 : previous + 1;
        if (n == expected) {
            last.update(n);
        } else if (n > expected) {
            gaps.inc();
            out.collect(GAP + " member=" + ctx.getCurrentKey() + " expected=" + expected + " got=" + n + " lost=" + (n - expected));
            last.update(n);
        } else {
            repeats.inc();
            out.collect(REPEAT + " member=" + ctx.getCurrentKey() + " expected=" + expected + " got=" + n);
        }
    }
}
