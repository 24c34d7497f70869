package io.nearline.bench;

import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.als.TopN;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.MemberHistory;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.neighbours.NeighbourOptions;
import org.apache.flink.configuration.Configuration;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.TestModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The cost of one member recompute in nearline state: folding the member's factor in against the item
 * factors (warm-started from the factor before the member's newest event, as in the job) and ranking the
 * titles by the production blend (the fold-in's candidates, the neighbours of the member's recent titles, the
 * popularity prior); then the fold-in and the fold-in's top-N alone. {@link #floor} measures this machine's multiply-add rate on the same
 * kind of loop, in cache, to compare against.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FoldInBenchmark {

    /** The job's default (nearline.members.cg-tolerance). */
    static final double TOLERANCE = io.nearline.operators.members.MemberOptions.CG_TOLERANCE.defaultValue();

    /** A member's history: distinct random titles, one every few minutes, a tenth of them negative. */
    static List<Interaction> randomHistory(ModelArtifact model, Random random, int interactions) {
        List<Interaction> history = new ArrayList<>();
        long time = 1_700_000_000_000L;
        for (int title : random.ints(0, model.numItems()).distinct().limit(interactions).toArray()) {
            time += random.nextInt(600_000);
            float weight = random.nextDouble() < 0.1 ? -1f : (float) (0.5 + random.nextDouble() * 2);
            history.add(new Interaction(model.itemId(title), weight, time));
        }
        return history;
    }

    /** A random model with a random neighbour table of the default size. */
    static ModelArtifact model(int items, int rank) {
        return TestModels.withRandomNeighbours(TestModels.random("v1", items, rank, 1),
                NeighbourOptions.NEIGHBOURS.defaultValue(), 5);
    }

    /** The job's recompute on its defaults: the fold-in and the production blend. */
    static Recommender recommender(int interactions, ImplicitSolver.Method method, int rank) {
        return new Recommender(new MemberHistory(interactions, 2 * 3_600_000L), 25, 1, Set.of(), method, rank, TOLERANCE,
                MemberOptions.ALPHA.defaultValue(), MemberOptions.LAMBDA.defaultValue(), RankerOptions.settings(new Configuration()));
    }

    @State(Scope.Thread)
    public static class Member {

        @Param({"64"})
        public int rank;

        @Param({"10000"})
        public int items;

        @Param({"500"})
        public int interactions;

        @Param({"CONJUGATE_GRADIENT"})
        public ImplicitSolver.Method method;

        ModelArtifact model;
        Recommender recommender;
        List<Interaction> history;
        long now;
        double[] previous;
        double[] factor;
        ImplicitSolver solver;
        TopN topN;
        int[] rows;
        float[] strengths;
        boolean[] positive;
        int[] excluded;

        @Setup(Level.Trial)
        public void setUp() {
            model = model(items, rank);
            recommender = recommender(interactions, method, rank);
            history = randomHistory(model, new Random(2), interactions);
            now = history.get(interactions - 1).time;
            // The factor before the newest event: the warm start a recompute has in the job.
            previous = recommender.recommend(model, history.subList(0, interactions - 1), history.get(interactions - 2).time, null).factor();
            solver = new ImplicitSolver(rank, MemberOptions.LAMBDA.defaultValue(), method, rank, TOLERANCE);
            topN = new TopN();
            rows = new int[interactions];
            strengths = new float[interactions];
            positive = new boolean[interactions];
            excluded = new int[interactions];
            for (int i = 0; i < interactions; i++) {
                rows[i] = model.row(history.get(i).titleId);
                strengths[i] = (float) (MemberOptions.ALPHA.defaultValue() * Math.abs(history.get(i).weight));
                positive[i] = history.get(i).weight > 0;
                excluded[i] = rows[i];
            }
            factor = previous.clone();
        }
    }

    @Benchmark
    public Recommender.Result recompute(Member m) {
        return m.recommender.recommend(m.model, m.history, m.now, m.previous);
    }

    @Benchmark
    public double[] foldIn(Member m) {
        System.arraycopy(m.previous, 0, m.factor, 0, m.rank);
        m.solver.solve(m.model.gram(), m.model.vectors(), m.rows, m.strengths, m.positive, m.interactions, m.factor);
        return m.factor;
    }

    @Benchmark
    public int topN(Member m) {
        return m.topN.select(m.model.scoringFactors(), m.previous, m.excluded, m.interactions, 25);
    }

    /** Members recomputed together, as the job scores members folded in within one scoring slot. */
    @State(Scope.Thread)
    public static class Batch {
        static final int SIZE = 16;

        @Param({"64"})
        public int rank;

        @Param({"10000"})
        public int items;

        @Param({"500"})
        public int interactions;

        @Param({"CONJUGATE_GRADIENT"})
        public ImplicitSolver.Method method;

        ModelArtifact model;
        Recommender recommender;
        List<List<Interaction>> histories = new ArrayList<>();
        long[] now = new long[SIZE];
        double[][] previous = new double[SIZE][];
        List<Recommender.Scoring> scorings = new ArrayList<>();

        @Setup(Level.Trial)
        public void setUp() {
            model = model(items, rank);
            recommender = recommender(interactions, method, rank);
            Random random = new Random(4);
            for (int m = 0; m < SIZE; m++) {
                List<Interaction> history = randomHistory(model, random, interactions);
                long time = history.get(interactions - 1).time;
                histories.add(history);
                now[m] = time;
                previous[m] = recommender.recommend(model, history.subList(0, interactions - 1),
                        history.get(interactions - 2).time, null).factor();
                scorings.add(recommender.foldIn(model, history, time, previous[m]));
            }
        }
    }

    /** Per member: the top-N of {@value Batch#SIZE} members folded in already, scored in one pass. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public List<Recommender.Result> topNInBatch(Batch b) {
        return b.recommender.rank(b.scorings);
    }

    /** Per member: {@value Batch#SIZE} members folded in one by one, then scored in one pass. */
    @Benchmark
    @OperationsPerInvocation(Batch.SIZE)
    public List<Recommender.Result> recomputeInBatch(Batch b) {
        List<Recommender.Scoring> scorings = new ArrayList<>(Batch.SIZE);
        for (int m = 0; m < Batch.SIZE; m++) {
            scorings.add(b.recommender.foldIn(b.model, b.histories.get(m), b.now[m], b.previous[m]));
        }
        return b.recommender.rank(scorings);
    }

    /**
     * The floor's kernel: scores += x * factors over 4096 floats (16 KiB each, in L1), 64 times: 262,144 fused
     * multiply-adds, the instruction scoring uses.
     */
    @State(Scope.Thread)
    public static class Kernel {
        public static final int LENGTH = 4096;
        public static final int REPEATS = 64;
        final float[] scores = new float[LENGTH];
        final float[] factors = new float[LENGTH];

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(3);
            for (int i = 0; i < LENGTH; i++) {
                factors[i] = random.nextFloat();
            }
        }
    }

    @Benchmark
    public float[] floor(Kernel k) {
        float[] s = k.scores;
        float[] f = k.factors;
        java.util.Arrays.fill(s, 0f);
        for (int r = 0; r < Kernel.REPEATS; r++) {
            float x = 1e-3f * (r + 1);
            for (int i = 0; i < Kernel.LENGTH; i++) {
                s[i] = Math.fma(x, f[i], s[i]);
            }
        }
        return s;
    }

}
