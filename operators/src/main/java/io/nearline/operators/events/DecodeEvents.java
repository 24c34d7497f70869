package io.nearline.operators.events;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes raw Kafka records into valid events. Whatever cannot become one goes, with its original bytes
 * and the reason, to the {@link #DEAD_LETTERS} side output; nothing here throws on bad data, so bad data
 * never restarts the job. Metrics: {@code events.decoded} and {@code deadLetters.<reason>}.
 */
public class DecodeEvents extends ProcessFunction<RawEvent, UiEvent> {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    private final Duration maxFutureSkew;
    private transient EventDecoder decoder;
    private transient Counter decoded;
    private transient Map<DeadLetterReason, Counter> deadLetters;

    public DecodeEvents(Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new EventDecoder(maxFutureSkew);
        MetricGroup events = getRuntimeContext().getMetricGroup().addGroup("events");
        decoded = events.counter("decoded");
        MetricGroup rejected = getRuntimeContext().getMetricGroup().addGroup("deadLetters");
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, rejected.counter(reason.label()));
        }
    }

    @Override
    public void processElement(RawEvent raw, Context ctx, Collector<UiEvent> out) {
        long now = ctx.timerService().currentProcessingTime();
        DecodeResult result = decoder.decode(raw.value, now);
        if (result.isValid()) {
            decoded.inc();
            out.collect(result.event());
        } else {
            deadLetters.get(result.reason()).inc();
            ctx.output(DEAD_LETTERS, new DeadLetter(result.reason(), result.detail(), raw, now));
        }
    }

    /** The dead letters counted so far, by reason; for tests and diagnostics. */
    public long deadLetterCount(DeadLetterReason reason) {
        return deadLetters.get(reason).getCount();
    }
}
