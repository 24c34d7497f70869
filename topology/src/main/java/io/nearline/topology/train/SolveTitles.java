package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.als.Gram;
import io.nearline.topology.train.Records.Block;
import io.nearline.topology.train.Records.Factor;
import org.apache.flink.api.common.functions.MapPartitionFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The title half of an iteration, one partition at a time: gathers the member blocks addressed to this partition
 * (each member factor once, shared by all of its titles here) and the member subtasks' partial Gram matrices, then
 * solves every title with the shared {@link ImplicitSolver}. A partition holds its titles' interactions and the
 * factors of the members who touched them while it solves, as Spark's blocked ALS does: more partitions, less each.
 */
public class SolveTitles implements MapPartitionFunction<Block, Factor> {

    private static final long serialVersionUID = 1L;

    private final int rank;
    private final double lambda;
    private final double alpha;

    public SolveTitles(int rank, double lambda, double alpha) {
        this.rank = rank;
        this.lambda = lambda;
        this.alpha = alpha;
    }

    /** The members who touched one title: their factors and weights. */
    private static final class Column {
        final List<float[]> vectors = new ArrayList<>();
        float[] weights = new float[8];

        void add(float[] vector, float weight) {
            if (vectors.size() == weights.length) {
                weights = Arrays.copyOf(weights, weights.length * 2);
            }
            weights[vectors.size()] = weight;
            vectors.add(vector);
        }
    }

    @Override
    public void mapPartition(Iterable<Block> blocks, Collector<Factor> out) {
        Map<String, Column> columns = new HashMap<>();
        double[] gram = new double[rank * rank];
        for (Block block : blocks) {
            if (block.gram != null) {
                for (int i = 0; i < gram.length; i++) {
                    gram[i] += block.gram[i];
                }
                continue;
            }
            for (int i = 0; i < block.titles.length; i++) {
                columns.computeIfAbsent(block.titles[i], t -> new Column()).add(block.vector, block.weights[i]);
            }
        }
        Gram.complete(gram, rank);
        RowSolve solver = new RowSolve(rank, lambda, alpha);
        for (Map.Entry<String, Column> entry : columns.entrySet()) {
            Column column = entry.getValue();
            float[] vector = solver.solve(gram, column.vectors.toArray(new float[0][]), column.weights, column.vectors.size());
            out.collect(new Factor(entry.getKey(), vector));
        }
    }
}
