package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.topology.train.Records.Block;
import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.MemberRow;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InputSelectable;
import org.apache.flink.streaming.api.operators.InputSelection;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The member half of an iteration. The title factors (a catalog: bounded, unlike members) come broadcast on the
 * first input and are read to the end before any member row (input selection), so each member row is solved
 * where it is, without a join. Each member's factor goes to the title half once per title partition it touches,
 * with its titles there ({@link Block}); when its rows are done, the subtask sends its partial sum of the
 * members' Gram matrix to every title partition, so the title half needs no stage of its own for it.
 */
public class SolveMembers extends AbstractStreamOperator<Block>
        implements TwoInputStreamOperator<Factor, MemberRow, Block>, InputSelectable, BoundedMultiInput {

    private static final long serialVersionUID = 1L;

    private final int rank;
    private final double lambda;
    private final double alpha;
    private final int partitions;
    private transient Map<String, float[]> titles;
    private transient double[] titleGram;
    private transient double[] memberGram;
    private transient ImplicitSolver solver;

    public SolveMembers(int rank, double lambda, double alpha, int partitions) {
        this.rank = rank;
        this.lambda = lambda;
        this.alpha = alpha;
        this.partitions = partitions;
    }

    /** The partition of the title half that solves a title. */
    static int partitionOf(String title, int partitions) {
        return Math.floorMod(title.hashCode(), partitions);
    }

    @Override
    public void open() throws Exception {
        super.open();
        titles = new HashMap<>();
        memberGram = new double[rank * rank];
        solver = ImplicitSolver.exact(rank, lambda);
    }

    @Override
    public InputSelection nextSelection() {
        return titleGram == null ? InputSelection.FIRST : InputSelection.SECOND;
    }

    @Override
    public void processElement1(StreamRecord<Factor> record) {
        titles.put(record.getValue().id, record.getValue().vector);
    }

    @Override
    public void endInput(int input) {
        if (input == 1) {
            titleGram = ImplicitSolver.gram(titles.values().toArray(new float[0][]), rank);
        } else {
            for (int p = 0; p < partitions; p++) {
                output.collect(new StreamRecord<>(Block.gram(p, memberGram)));
            }
        }
    }

    @Override
    public void processElement2(StreamRecord<MemberRow> record) {
        if (titleGram == null) {
            throw new IllegalStateException("a member row before the end of the title factors");
        }
        MemberRow row = record.getValue();
        int n = row.titles.length;
        float[][] vectors = new float[n][];
        int[] rows = new int[n];
        float[] strengths = new float[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            vectors[i] = titles.get(row.titles[i]);
            if (vectors[i] == null) {
                throw new IllegalStateException("no factor for title " + row.titles[i]);
            }
            rows[i] = i;
            strengths[i] = (float) (alpha * Math.abs(row.weights[i]));
            positive[i] = row.weights[i] > 0;
        }
        double[] x = new double[rank];
        solver.solve(titleGram, vectors, rows, strengths, positive, n, x);
        float[] vector = new float[rank];
        for (int k = 0; k < rank; k++) {
            vector[k] = (float) x[k];
        }
        addOuterProduct(memberGram, vector);
        send(vector, row);
    }

    // One block per title partition the member touches: the factor crosses the network once per partition.
    private void send(float[] vector, MemberRow row) {
        List<List<Integer>> byPartition = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            byPartition.add(null);
        }
        for (int i = 0; i < row.titles.length; i++) {
            int p = partitionOf(row.titles[i], partitions);
            if (byPartition.get(p) == null) {
                byPartition.set(p, new ArrayList<>());
            }
            byPartition.get(p).add(i);
        }
        for (int p = 0; p < partitions; p++) {
            List<Integer> indices = byPartition.get(p);
            if (indices == null) {
                continue;
            }
            String[] blockTitles = new String[indices.size()];
            float[] blockWeights = new float[indices.size()];
            for (int j = 0; j < blockTitles.length; j++) {
                blockTitles[j] = row.titles[indices.get(j)];
                blockWeights[j] = row.weights[indices.get(j)];
            }
            output.collect(new StreamRecord<>(Block.factor(p, vector, blockTitles, blockWeights)));
        }
    }

    private void addOuterProduct(double[] gram, float[] x) {
        for (int i = 0; i < rank; i++) {
            double xi = x[i];
            int row = i * rank;
            for (int j = 0; j < rank; j++) {
                gram[row + j] = Math.fma(xi, x[j], gram[row + j]);
            }
        }
    }
}
