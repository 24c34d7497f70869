package io.nearline.savepoints;

import io.nearline.operators.members.Interaction;
import io.nearline.operators.offline.Rated;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Gathers each member's offline interactions into one snapshot (uncompacted; {@link RecomputeMembers} compacts).
 * Runs in batch mode: the timer at the end of time fires once the member's input is complete.
 */
public class SeedMembers extends KeyedProcessFunction<String, Rated, MemberSnapshot> {

    private static final long serialVersionUID = 1L;

    private transient ListState<Interaction> interactions;

    @Override
    public void open(OpenContext openContext) {
        interactions = getRuntimeContext().getListState(new ListStateDescriptor<>("seed", TypeInformation.of(Interaction.class)));
    }

    @Override
    public void processElement(Rated rated, Context ctx, Collector<MemberSnapshot> out) throws Exception {
        interactions.add(new Interaction(rated.title, rated.weight, rated.time));
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MemberSnapshot> out) throws Exception {
        List<Interaction> all = new ArrayList<>();
        interactions.get().forEach(all::add);
        interactions.clear();
        out.collect(new MemberSnapshot(ctx.getCurrentKey(), null, all.toArray(new Interaction[0]), null, null));
    }
}
