package io.nearline.operators.events;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Drops events whose id the member has already sent within the window: clients retry sends, and a retry
 * repeats the event id. Keyed by member, so the ids of one member live together and the stream stays
 * keyed by member for what follows. Each remembered id expires after the window (state TTL).
 */
public class DeduplicateEvents extends KeyedProcessFunction<String, UiEvent, UiEvent> {

    /** The name of the state of seen event ids; shared with the savepoint tools. */
    public static final String SEEN_EVENT_IDS = "seen-event-ids";

    private final Duration window;
    private transient MapState<String, Boolean> seen;
    private transient Counter duplicates;

    public DeduplicateEvents(Duration window) {
        this.window = window;
    }

    public static MapStateDescriptor<String, Boolean> seenEventIds(Duration window) {
        MapStateDescriptor<String, Boolean> descriptor =
                new MapStateDescriptor<>(SEEN_EVENT_IDS, Types.STRING, Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(window)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(seenEventIds(window));
        duplicates = getRuntimeContext().getMetricGroup().addGroup("events").counter("duplicates");
    }

    @Override
    public void processElement(UiEvent event, Context ctx, Collector<UiEvent> out) throws Exception {
        if (seen.contains(event.getEventId())) {
            duplicates.inc();
            return;
        }
        seen.put(event.getEventId(), Boolean.TRUE);
        out.collect(event);
    }
}
