package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.topology.train.Records.Entry;
import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.Gram;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Solves one row (a member or a title) of a half-iteration with the shared {@link ImplicitSolver}: its
 * entries carry the other side's factors, and the other side's Gram matrix comes broadcast (in batch
 * mode Flink reads the broadcast input first).
 */
public class SolveRows extends KeyedBroadcastProcessFunction<String, Entry, Gram, Factor> {

    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, Gram> GRAM =
            new MapStateDescriptor<>("gram", Types.STRING, TypeInformation.of(Gram.class));

    private final int rank;
    private final double lambda;
    private final double alpha;
    private transient ListState<Entry> entries;
    private transient ImplicitSolver solver;

    public SolveRows(int rank, double lambda, double alpha) {
        this.rank = rank;
        this.lambda = lambda;
        this.alpha = alpha;
    }

    @Override
    public void open(OpenContext openContext) {
        entries = getRuntimeContext().getListState(new ListStateDescriptor<>("entries", TypeInformation.of(Entry.class)));
        solver = ImplicitSolver.exact(rank, lambda);
    }

    @Override
    public void processBroadcastElement(Gram gram, Context ctx, Collector<Factor> out) throws Exception {
        ctx.getBroadcastState(GRAM).put("gram", gram);
    }

    @Override
    public void processElement(Entry entry, ReadOnlyContext ctx, Collector<Factor> out) throws Exception {
        entries.add(entry);
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Factor> out) throws Exception {
        Gram gram = ctx.getBroadcastState(GRAM).get("gram");
        if (gram == null) {
            throw new IllegalStateException("no Gram matrix when solving " + ctx.getCurrentKey());
        }
        List<float[]> vectors = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (Entry entry : entries.get()) {
            vectors.add(entry.other);
            weights.add(entry.weight);
        }
        entries.clear();
        int n = vectors.size();
        int[] rows = new int[n];
        float[] strengths = new float[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
            strengths[i] = (float) (alpha * Math.abs(weights.get(i)));
            positive[i] = weights.get(i) > 0;
        }
        double[] x = new double[rank];
        solver.solve(gram.values, vectors.toArray(new float[0][]), rows, strengths, positive, n, x);
        float[] vector = new float[rank];
        for (int k = 0; k < rank; k++) {
            vector[k] = (float) x[k];
        }
        out.collect(new Factor(ctx.getCurrentKey(), vector));
    }
}
