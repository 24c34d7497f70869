package io.nearline.savepoints;

import io.nearline.operators.members.EmittedRow;
import io.nearline.operators.members.FactorState;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionHistory;
import io.nearline.operators.members.MemberStates;
import io.nearline.operators.models.TrafficSplit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;

import java.time.Duration;
import java.util.List;

/**
 * Writes each member's state for the member operator, through the job's own descriptors, and registers the
 * member's recompute timer: once the job starts from the savepoint, every member's rows are computed and
 * written to the stores again, spread over {@code refreshWithin} from {@code refreshFrom} so that a large
 * population does not recompute all at once.
 */
public class WriteMemberState extends KeyedStateBootstrapFunction<String, MemberSnapshot> {

    private static final long serialVersionUID = 1L;

    private final Duration ttl;
    private final long refreshFrom;
    private final long refreshWithinMillis;
    private transient ValueState<InteractionHistory> history;
    private transient ListState<Interaction> recent;
    private transient ValueState<FactorState> factor;
    private transient ValueState<EmittedRow> lastEmitted;

    public WriteMemberState(Duration ttl, long refreshFrom, Duration refreshWithin) {
        this.ttl = ttl;
        this.refreshFrom = refreshFrom;
        this.refreshWithinMillis = refreshWithin.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        history = getRuntimeContext().getState(MemberStates.history(ttl));
        recent = getRuntimeContext().getListState(MemberStates.recent(ttl));
        factor = getRuntimeContext().getState(MemberStates.factor(ttl));
        lastEmitted = getRuntimeContext().getState(MemberStates.lastEmitted(ttl));
    }

    @Override
    public void processElement(MemberSnapshot member, Context ctx) throws Exception {
        if (member.history != null) {
            history.update(member.history);
        }
        if (member.recent != null && member.recent.length > 0) {
            recent.update(List.of(member.recent));
        }
        if (member.factor != null) {
            factor.update(member.factor);
        }
        if (member.lastEmitted != null) {
            lastEmitted.update(member.lastEmitted);
        }
        // The same point in [0, 1) for a member in every run: a rewrite spreads members the same way.
        long offset = (long) (TrafficSplit.point(member.member, "refresh") * refreshWithinMillis);
        ctx.timerService().registerProcessingTimeTimer(refreshFrom + offset);
    }
}
