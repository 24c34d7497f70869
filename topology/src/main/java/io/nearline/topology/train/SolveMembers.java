package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.als.Gram;
import io.nearline.topology.train.Records.Block;
import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.MemberRow;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedMultiInput;
import org.apache.flink.streaming.api.operators.InputSelectable;
import org.apache.flink.streaming.api.operators.InputSelection;
import org.apache.flink.streaming.api.operators.TwoInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.HashMap;
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
    private transient RowSolve solver;

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
        solver = new RowSolve(rank, lambda, alpha);
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
            titleGram = Gram.gram(titles.values().toArray(new float[0][]), rank);
        } else {
            // The lower triangle: the title half completes the sum.
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
        float[][] vectors = new float[row.titles.length][];
        for (int i = 0; i < vectors.length; i++) {
            vectors[i] = titles.get(row.titles[i]);
            if (vectors[i] == null) {
                throw new IllegalStateException("no factor for title " + row.titles[i]);
            }
        }
        float[] vector = solver.solve(titleGram, vectors, row.weights, vectors.length);
        Gram.add(memberGram, vector, rank);
        send(vector, row);
    }

    // One block per title partition the member touches: the factor crosses the network once per partition.
    private void send(float[] vector, MemberRow row) {
        int n = row.titles.length;
        int[] partitionOf = new int[n];
        int[] sizes = new int[partitions];
        for (int i = 0; i < n; i++) {
            partitionOf[i] = partitionOf(row.titles[i], partitions);
            sizes[partitionOf[i]]++;
        }
        for (int p = 0; p < partitions; p++) {
            if (sizes[p] == 0) {
                continue;
            }
            String[] blockTitles = new String[sizes[p]];
            float[] blockWeights = new float[sizes[p]];
            for (int i = 0, j = 0; i < n; i++) {
                if (partitionOf[i] == p) {
                    blockTitles[j] = row.titles[i];
                    blockWeights[j++] = row.weights[i];
                }
            }
            output.collect(new StreamRecord<>(Block.factor(p, vector, blockTitles, blockWeights)));
        }
    }
}
