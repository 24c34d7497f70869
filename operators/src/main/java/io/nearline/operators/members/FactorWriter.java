package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.schemas.result.MemberFactor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A member's factor: kept in state as the warm start of the next fold-in, and written out (to the member_factors
 * table) with the titles that explain it. With {@code nearline.members.factor-write-interval} the writes are
 * conflated: at most one per interval, the newest at its end on a timer of the member, a factor of a new model
 * version at once.
 */
final class FactorWriter {

    private final ValueState<FactorState> factor;
    private final ValueState<FactorWrite> lastWrite;
    private final ValueState<MemberFactor> pending;
    private final long intervalMillis;
    private final Recommender recommender;
    private final int explainedTitles;

    FactorWriter(ValueState<FactorState> factor, ValueState<FactorWrite> lastWrite, ValueState<MemberFactor> pending,
            long intervalMillis, Recommender recommender, int explainedTitles) {
        this.factor = factor;
        this.lastWrite = lastWrite;
        this.pending = pending;
        this.intervalMillis = intervalMillis;
        this.recommender = recommender;
        this.explainedTitles = Math.max(0, explainedTitles);
    }

    /** The member's factor to start the fold-in from: its last one if of the same model version, else null. */
    double[] warmStart(ModelArtifact model) throws Exception {
        FactorState previous = factor.value();
        return previous == null ? null : previous.warmStart(model.name(), model.version());
    }

    /** Keeps the member's new factor and writes it out, now or at the end of the interval. */
    void update(String member, ModelArtifact model, double[] folded, List<Interaction> compacted, long newestEventTime,
            long now, TimerService timers, Consumer<MemberFactor> out) throws Exception {
        float[] values = new float[folded.length];
        List<Float> list = new ArrayList<>(values.length);
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) folded[k];
            list.add(values[k]);
        }
        factor.update(new FactorState(model.name(), model.version(), values, now));
        Watched watched = watched(compacted, newestEventTime);
        write(MemberFactor.newBuilder().setMemberId(member).setModelName(model.name())
                .setModelVersion(model.version()).setFactor(list).setUpdatedAt(Instant.ofEpochMilli(now))
                .setWatched(watched.titles()).setWatchedWeights(watched.weights()).build(), now, timers, out);
    }

    /**
     * Writes the member's factor out now if none was written within the interval (or the last was of another model
     * version); otherwise keeps it as the pending one, written on a timer of this member between one and two
     * intervals after the last write (spread by member, so that members active since the same moment do not
     * write all at once: without it, the members of a job's first seconds wrote together 30 s later).
     */
    private void write(MemberFactor record, long now, TimerService timers, Consumer<MemberFactor> out) throws Exception {
        if (intervalMillis <= 0) {
            out.accept(record);
            return;
        }
        FactorWrite last = lastWrite.value();
        if (last == null || last.allowsWriteAt(now, intervalMillis, record.getModelName(), record.getModelVersion())) {
            out.accept(record);
            pending.clear();
            // A timer still due for an older pending factor finds nothing due and does nothing.
            lastWrite.update(new FactorWrite(now, 0, record.getModelName(), record.getModelVersion()));
            return;
        }
        pending.update(record);
        if (last.dueAt == 0) {
            long due = last.writtenAt + intervalMillis + FactorWrite.spread(record.getMemberId(), intervalMillis);
            timers.registerProcessingTimeTimer(due);
            lastWrite.update(new FactorWrite(last.writtenAt, due, last.modelName, last.modelVersion));
        }
    }

    /**
     * On any timer of the member: writes the pending factor out if its time has come.
     *
     * @return whether this was the time the pending factor was due
     */
    boolean writeDue(long timestamp, Consumer<MemberFactor> out) throws Exception {
        if (intervalMillis <= 0) {
            return false;
        }
        FactorWrite last = lastWrite.value();
        if (last == null || last.dueAt == 0 || last.dueAt > timestamp) {
            return false;
        }
        MemberFactor due = pending.value();
        if (due == null) {
            lastWrite.update(new FactorWrite(last.writtenAt, 0, last.modelName, last.modelVersion));
            return last.dueAt == timestamp;
        }
        out.accept(due);
        pending.clear();
        lastWrite.update(new FactorWrite(timestamp, 0, due.getModelName(), due.getModelVersion()));
        return last.dueAt == timestamp;
    }

    private record Watched(List<String> titles, List<Float> weights) {}

    /** The member's most weighted titles (positive weights, decayed to the newest event), for explanations. */
    private Watched watched(List<Interaction> compacted, long newestEventTime) {
        List<Interaction> positive = new ArrayList<>();
        for (Interaction interaction : compacted) {
            float weight = recommender.history().decay(interaction.weight, interaction.time, newestEventTime);
            if (weight > 0) {
                positive.add(new Interaction(interaction.titleId, weight, interaction.time));
            }
        }
        positive.sort((a, b) -> Float.compare(b.weight, a.weight));
        List<String> titles = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (Interaction interaction : positive.subList(0, Math.min(positive.size(), explainedTitles))) {
            titles.add(interaction.titleId);
            weights.add(interaction.weight);
        }
        return new Watched(titles, weights);
    }
}
