package io.nearline.operators.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventWatermarksTest {

    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private final WatermarkStrategy<UiEvent> strategy = EventWatermarks.strategy(OUT_OF_ORDERNESS, IDLE_TIMEOUT);
    // Flink's idleness timer treats a zero clock reading as "not started", so start elsewhere.
    private final ManualClock clock = new ManualClock(Duration.ofHours(1).toNanos());
    private final RecordingOutput output = new RecordingOutput();
    private final WatermarkGenerator<UiEvent> generator = strategy.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
        @Override
        public MetricGroup getMetricGroup() {
            return new UnregisteredMetricsGroup();
        }

        @Override
        public RelativeClock getInputActivityClock() {
            return clock;
        }
    });

    private UiEvent at(String isoTime) {
        return io.nearline.schemas.UiEvents.event("e", "m", Instant.parse(isoTime),
                io.nearline.schemas.UiEvents.payload(EventKind.PLAY_STARTED, "t"));
    }

    private void process(UiEvent event) {
        long timestamp = strategy.createTimestampAssigner((TimestampAssignerSupplier.Context) UnregisteredMetricsGroup::new)
                .extractTimestamp(event, -1L);
        assertThat(timestamp).isEqualTo(event.getEventTime().toEpochMilli());
        generator.onEvent(event, timestamp, output);
    }

    @Test
    void watermarkTrailsTheNewestEventByTheOutOfOrderness() {
        process(at("2026-11-21T12:00:10Z"));
        process(at("2026-11-21T12:00:20Z"));
        process(at("2026-11-21T12:00:12Z")); // late but within bounds: does not move the watermark back
        generator.onPeriodicEmit(output);

        assertThat(output.watermarks.get(output.watermarks.size() - 1))
                .isEqualTo(Instant.parse("2026-11-21T12:00:15Z").toEpochMilli() - 1);
        assertThat(output.idle).isFalse();
    }

    @Test
    void silentInputIsMarkedIdleSoItDoesNotHoldBackOthersAndWakesOnTheNextEvent() {
        process(at("2026-11-21T12:00:10Z"));
        generator.onPeriodicEmit(output);
        generator.onPeriodicEmit(output); // the first emit without new events starts the idle timer
        assertThat(output.idle).isFalse();

        clock.advanceTime(IDLE_TIMEOUT.minusSeconds(1));
        generator.onPeriodicEmit(output);
        assertThat(output.idle).as("before the idle timeout").isFalse();

        clock.advanceTime(Duration.ofSeconds(2));
        generator.onPeriodicEmit(output);
        assertThat(output.idle).as("after the idle timeout").isTrue();

        process(at("2026-11-21T12:01:00Z"));
        generator.onPeriodicEmit(output);
        assertThat(output.idle).as("after a new event").isFalse();
        assertThat(output.watermarks.get(output.watermarks.size() - 1))
                .isEqualTo(Instant.parse("2026-11-21T12:00:55Z").toEpochMilli() - 1);
    }

    private static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        boolean idle;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
            idle = false;
        }

        @Override
        public void markIdle() {
            idle = true;
        }

        @Override
        public void markActive() {
            idle = false;
        }
    }
}
