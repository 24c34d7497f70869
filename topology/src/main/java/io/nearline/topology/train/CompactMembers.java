package io.nearline.topology.train;

import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.MemberHistory;
import io.nearline.operators.models.TrafficSplit;
import io.nearline.operators.offline.Rated;
import io.nearline.topology.train.Records.MemberRow;
import io.nearline.topology.train.Records.Result;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.List;

/**
 * Per member, as nearline state does it: compacts the member's interactions (one per title, the newest
 * ones within the bound) and decays weights to the member's newest interaction. A deterministic sample of
 * members (with at least three titles) gives up its newest interaction to the held-out set. Runs in batch
 * mode: the timer at the end of time fires when the member's input is complete.
 */
public class CompactMembers extends KeyedProcessFunction<String, Rated, MemberRow> {

    private static final long serialVersionUID = 1L;

    /** Held-out members, with their training interactions and the held-out title. */
    public static final OutputTag<Result> HOLDOUT = new OutputTag<>("holdout") {};
    /** Per member, the time range of its interactions (as {@code times}: oldest, newest). */
    public static final OutputTag<Result> RANGE = new OutputTag<>("range") {};

    private final MemberHistory history;
    private final double holdoutFraction;
    private transient ListState<Rated> buffered;

    public CompactMembers(MemberHistory history, double holdoutFraction) {
        this.history = history;
        this.holdoutFraction = holdoutFraction;
    }

    @Override
    public void open(OpenContext openContext) {
        buffered = getRuntimeContext().getListState(new ListStateDescriptor<>("interactions", TypeInformation.of(Rated.class)));
    }

    @Override
    public void processElement(Rated rated, Context ctx, Collector<MemberRow> out) throws Exception {
        buffered.add(rated);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MemberRow> out) throws Exception {
        String member = ctx.getCurrentKey();
        List<Interaction> raw = new ArrayList<>();
        for (Rated rated : buffered.get()) {
            raw.add(new Interaction(rated.title, rated.weight, rated.time));
        }
        buffered.clear();
        Result range = new Result();
        range.kind = "range";
        range.id = "range";
        range.times = new long[] {Long.MAX_VALUE, Long.MIN_VALUE};
        for (Interaction interaction : raw) {
            range.times[0] = Math.min(range.times[0], interaction.time);
            range.times[1] = Math.max(range.times[1], interaction.time);
        }
        ctx.output(RANGE, range);
        List<Interaction> compacted = history.compact(raw);
        if (compacted.size() >= 3 && TrafficSplit.point(member, "holdout") < holdoutFraction) {
            Interaction heldOut = compacted.remove(compacted.size() - 1);
            Result result = new Result();
            result.kind = Result.HOLDOUT;
            result.id = member;
            result.heldOut = heldOut.titleId;
            result.titles = new String[compacted.size()];
            result.weights = new float[compacted.size()];
            result.times = new long[compacted.size()];
            for (int i = 0; i < compacted.size(); i++) {
                result.titles[i] = compacted.get(i).titleId;
                result.weights[i] = compacted.get(i).weight;
                result.times[i] = compacted.get(i).time;
            }
            ctx.output(HOLDOUT, result);
        }
        long newest = compacted.isEmpty() ? 0 : compacted.get(compacted.size() - 1).time;
        List<String> titles = new ArrayList<>(compacted.size());
        List<Float> weights = new ArrayList<>(compacted.size());
        for (Interaction interaction : compacted) {
            float weight = history.decay(interaction.weight, interaction.time, newest);
            if (weight != 0) {
                titles.add(interaction.titleId);
                weights.add(weight);
            }
        }
        float[] w = new float[weights.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(i);
        }
        if (!titles.isEmpty()) {
            out.collect(new MemberRow(member, titles.toArray(new String[0]), w));
        }
    }
}
