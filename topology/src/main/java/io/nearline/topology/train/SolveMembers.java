package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.topology.train.Records.Entry;
import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.MemberRow;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.HashMap;
import java.util.Map;

/**
 * The member half of an iteration. The title factors (a catalog: bounded, unlike members) come broadcast,
 * so each member row is solved where it is, without a join; Flink's batch mode reads the broadcast input
 * first. Each subtask computes the titles' Gram matrix once. The member's factor goes out twice: as
 * entries addressed to each of its titles (the title half needs nothing else) and on {@link #FACTORS} for
 * the members' Gram matrix.
 */
public class SolveMembers extends BroadcastProcessFunction<MemberRow, Factor, Entry> {

    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, Factor> TITLES =
            new MapStateDescriptor<>("title-factors", Types.STRING, TypeInformation.of(Factor.class));
    public static final OutputTag<Factor> FACTORS = new OutputTag<>("member-factors") {};

    private final int rank;
    private final double lambda;
    private final double alpha;
    private transient ImplicitSolver solver;
    private transient Map<String, float[]> titles;
    private transient double[] gram;

    public SolveMembers(int rank, double lambda, double alpha) {
        this.rank = rank;
        this.lambda = lambda;
        this.alpha = alpha;
    }

    @Override
    public void processBroadcastElement(Factor factor, Context ctx, Collector<Entry> out) throws Exception {
        ctx.getBroadcastState(TITLES).put(factor.id, factor);
    }

    @Override
    public void processElement(MemberRow row, ReadOnlyContext ctx, Collector<Entry> out) throws Exception {
        if (titles == null) {
            titles = new HashMap<>();
            for (Map.Entry<String, Factor> entry : ctx.getBroadcastState(TITLES).immutableEntries()) {
                titles.put(entry.getKey(), entry.getValue().vector);
            }
            gram = ImplicitSolver.gram(titles.values().toArray(new float[0][]), rank);
            solver = ImplicitSolver.exact(rank, lambda);
        }
        int n = row.titles.length;
        float[][] vectors = new float[n][];
        int[] rows = new int[n];
        float[] strengths = new float[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            vectors[i] = titles.get(row.titles[i]);
            rows[i] = i;
            strengths[i] = (float) (alpha * Math.abs(row.weights[i]));
            positive[i] = row.weights[i] > 0;
        }
        double[] x = new double[rank];
        solver.solve(gram, vectors, rows, strengths, positive, n, x);
        float[] vector = new float[rank];
        for (int k = 0; k < rank; k++) {
            vector[k] = (float) x[k];
        }
        for (int i = 0; i < n; i++) {
            out.collect(new Entry(row.titles[i], vector, row.weights[i]));
        }
        ctx.output(FACTORS, new Factor(row.member, vector));
    }
}
