package io.nearline.topology.train;

import io.nearline.topology.train.Records.Cell;
import io.nearline.topology.train.Records.Entry;
import io.nearline.topology.train.Records.Factor;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The join of one half-iteration: keyed by the id of the side held fixed, it attaches that side's factors
 * to each of its cells, addressed to the row being solved. Both inputs are buffered until the key's input
 * ends, so their order does not matter.
 */
public class AttachFactors extends KeyedCoProcessFunction<String, Cell, Factor, Entry> {

    private static final long serialVersionUID = 1L;

    private final boolean solvingMembers;
    private transient ListState<Cell> cells;
    private transient ValueState<Factor> factor;

    /** @param solvingMembers true when keyed by title (the entries go to members), false when keyed by member */
    public AttachFactors(boolean solvingMembers) {
        this.solvingMembers = solvingMembers;
    }

    @Override
    public void open(OpenContext openContext) {
        cells = getRuntimeContext().getListState(new ListStateDescriptor<>("cells", TypeInformation.of(Cell.class)));
        factor = getRuntimeContext().getState(new ValueStateDescriptor<>("factor", TypeInformation.of(Factor.class)));
    }

    @Override
    public void processElement1(Cell cell, Context ctx, Collector<Entry> out) throws Exception {
        cells.add(cell);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void processElement2(Factor value, Context ctx, Collector<Entry> out) throws Exception {
        factor.update(value);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Entry> out) throws Exception {
        Factor fixed = factor.value();
        Iterable<Cell> all = cells.get();
        if (fixed != null && all != null) {
            for (Cell cell : all) {
                out.collect(new Entry(solvingMembers ? cell.member : cell.title, fixed.vector, cell.weight));
            }
        }
        cells.clear();
        factor.clear();
    }
}
