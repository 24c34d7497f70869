package io.nearline.operators.events;

import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/** Event time for UI events: their own timestamp, bounded out-of-orderness, and idleness. */
public final class EventWatermarks {

    private EventWatermarks() {}

    public static WatermarkStrategy<UiEvent> strategy(Duration maxOutOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<UiEvent>forBoundedOutOfOrderness(maxOutOfOrderness)
                .withTimestampAssigner((event, kafkaTimestamp) -> event.getEventTime().toEpochMilli())
                .withIdleness(idleTimeout);
    }

    public static WatermarkStrategy<UiEvent> strategy(ReadableConfig config) {
        return strategy(config.get(EventOptions.MAX_OUT_OF_ORDERNESS), config.get(EventOptions.IDLE_TIMEOUT));
    }
}
