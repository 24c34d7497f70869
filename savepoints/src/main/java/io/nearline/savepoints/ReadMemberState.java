package io.nearline.savepoints;

import io.nearline.operators.members.EmittedRow;
import io.nearline.operators.members.FactorState;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionHistory;
import io.nearline.operators.members.MemberStates;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads each member's state from the member operator, through the job's own descriptors ({@link MemberStates}). */
public class ReadMemberState extends KeyedStateReaderFunction<String, MemberSnapshot> {

    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private transient ValueState<InteractionHistory> history;
    private transient ListState<Interaction> recent;
    private transient ValueState<FactorState> factor;
    private transient ValueState<EmittedRow> lastEmitted;

    /** @param ttl the job's nearline.members.state-ttl: state older than that is not returned, as in the job */
    public ReadMemberState(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(MemberStates.history(ttl));
        recent = getRuntimeContext().getListState(MemberStates.recent(ttl));
        factor = getRuntimeContext().getState(MemberStates.factor(ttl));
        lastEmitted = getRuntimeContext().getState(MemberStates.lastEmitted(ttl));
    }

    @Override
    public void readKey(String member, Context ctx, Collector<MemberSnapshot> out) throws Exception {
        List<Interaction> appended = new ArrayList<>();
        Iterable<Interaction> stored = recent.get();
        if (stored != null) {
            stored.forEach(appended::add);
        }
        MemberSnapshot snapshot = new MemberSnapshot(member, history.value(), appended.toArray(new Interaction[0]),
                factor.value(), lastEmitted.value());
        if (snapshot.history != null || snapshot.recent.length > 0 || snapshot.factor != null || snapshot.lastEmitted != null) {
            out.collect(snapshot);
        }
    }
}
