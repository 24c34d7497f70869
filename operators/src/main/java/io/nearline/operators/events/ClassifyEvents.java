package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.EnumSet;
import java.util.Set;

/**
 * Separates time-sensitive events (main output, on to member state) from bulk data ({@link #BULK_DATA}
 * side output). Which kinds are which is configuration ({@link EventOptions#TIME_SENSITIVE_KINDS}).
 */
public class ClassifyEvents extends ProcessFunction<UiEvent, UiEvent> {

    public static final OutputTag<UiEvent> BULK_DATA = new OutputTag<>("bulk-data", TypeInformation.of(UiEvent.class));

    private final EnumSet<EventKind> timeSensitive;
    private transient Counter events;
    private transient Counter data;

    public ClassifyEvents(Set<EventKind> timeSensitive) {
        this.timeSensitive = timeSensitive.isEmpty() ? EnumSet.noneOf(EventKind.class) : EnumSet.copyOf(timeSensitive);
    }

    @Override
    public void open(OpenContext openContext) {
        events = getRuntimeContext().getMetricGroup().addGroup("events").counter("timeSensitive");
        data = getRuntimeContext().getMetricGroup().addGroup("events").counter("bulkData");
    }

    @Override
    public void processElement(UiEvent event, Context ctx, Collector<UiEvent> out) {
        if (timeSensitive.contains(EventKind.of(event))) {
            events.inc();
            out.collect(event);
        } else {
            data.inc();
            ctx.output(BULK_DATA, event);
        }
    }
}
