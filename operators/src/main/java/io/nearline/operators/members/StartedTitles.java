package io.nearline.operators.members;

import io.nearline.schemas.RowNames;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Live context for the online service: per member, the titles started within the watching window, newest first,
 * emitted as the row {@value RowNames#WATCHING} on every start. The online service leaves them out of the member's rows (the
 * member is watching them now). Only play starts cost anything: one state read and write each.
 */
public class StartedTitles extends KeyedProcessFunction<String, UiEvent, RecommendationRow> {

    private static final long serialVersionUID = 1L;

    /** At most this many titles per member: a member starts few titles in minutes, a client gone wrong many. */
    static final int MAX_TITLES = 20;

    private final long windowMillis;
    private transient ValueState<Started> started;

    public StartedTitles(Duration window) {
        this.windowMillis = window.toMillis();
    }

    /** The member's recent starts (a Flink POJO), newest first. */
    public static class Started {
        public String[] titles;
        public long[] times;

        public Started() {}
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Started> descriptor = new ValueStateDescriptor<>("started-titles", TypeInformation.of(Started.class));
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofMillis(windowMillis))
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        started = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(UiEvent event, Context ctx, Collector<RecommendationRow> out) throws Exception {
        if (!(event.getPayload() instanceof PlayStarted play)) {
            return;
        }
        long time = event.getEventTime().toEpochMilli();
        Started previous = started.value();
        List<String> titles = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        titles.add(play.getTitleId());
        times.add(time);
        if (previous != null) {
            for (int i = 0; i < previous.titles.length && titles.size() < MAX_TITLES; i++) {
                if (!previous.titles[i].equals(play.getTitleId()) && previous.times[i] > time - windowMillis) {
                    titles.add(previous.titles[i]);
                    times.add(previous.times[i]);
                }
            }
        }
        Started next = new Started();
        next.titles = titles.toArray(new String[0]);
        next.times = times.stream().mapToLong(Long::longValue).toArray();
        started.update(next);
        List<Float> ages = new ArrayList<>(titles.size());
        for (long t : next.times) {
            ages.add((float) ((time - t) / 1000.0)); // seconds before the newest start
        }
        out.collect(RecommendationRow.newBuilder()
                .setMemberId(ctx.getCurrentKey())
                .setRowName(RowNames.WATCHING)
                .setTitles(titles)
                .setScores(ages)
                .setModelName("live")
                .setModelVersion("play-started")
                .setComputedAt(Instant.ofEpochMilli(ctx.timerService().currentProcessingTime()))
                .setNewestEventTime(event.getEventTime())
                .build());
    }
}
