package io.nearline.operators.als;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * Implicit-feedback ALS (Hu, Koren, Volinsky 2008) in memory: alternately solves every member against the
 * item factors and every item against the member factors, each with the same {@link ImplicitSolver} that
 * the nearline fold-in uses. Rows are solved in parallel on the common fork-join pool.
 */
public final class ImplicitAls {

    /** Training settings. */
    public record Settings(int rank, double lambda, double alpha, int iterations, long seed) {
        public Settings {
            if (rank < 1 || lambda <= 0 || alpha < 0 || iterations < 1) {
                throw new IllegalArgumentException("rank >= 1, lambda > 0, alpha >= 0 and iterations >= 1, not " + this);
            }
        }
    }

    /** Trained factors, row-major: member factors and item factors. */
    public record Factors(float[] members, float[] items, int rank) {}

    private ImplicitAls() {}

    /** Trains on interactions by member; weights as in nearline state (negative weights are negative signals). */
    public static Factors train(SparseRows byMember, Settings settings) {
        SparseRows byItem = byMember.transpose();
        int rank = settings.rank();
        float[][] members = new float[byMember.numRows()][rank];
        float[][] items = new float[byItem.numRows()][rank];
        Random random = new Random(settings.seed());
        for (float[] item : items) {
            for (int k = 0; k < rank; k++) {
                item[k] = (float) (random.nextGaussian() * 0.01);
            }
        }
        for (int iteration = 0; iteration < settings.iterations(); iteration++) {
            solveAll(byMember, items, members, settings);
            solveAll(byItem, members, items, settings);
        }
        return new Factors(FactorRows.flatten(members, rank), FactorRows.flatten(items, rank), rank);
    }

    /** Solves every row of {@code target} against the fixed factors of the other side. */
    public static void solveAll(SparseRows rows, float[][] fixed, float[][] target, Settings settings) {
        int rank = settings.rank();
        double[] gram = Gram.gram(fixed, rank);
        ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(settings));
        IntStream.range(0, rows.numRows()).parallel().forEach(row -> {
            Workspace w = workspaces.get();
            int count = rows.end(row) - rows.start(row);
            w.ensure(count);
            for (int n = 0; n < count; n++) {
                int entry = rows.start(row) + n;
                float weight = rows.weight(entry);
                w.columns[n] = rows.column(entry);
                w.strengths[n] = (float) (settings.alpha() * Math.abs(weight));
                w.positive[n] = weight > 0;
            }
            java.util.Arrays.fill(w.x, 0);
            w.solver.solve(gram, fixed, w.columns, w.strengths, w.positive, count, w.x);
            for (int k = 0; k < rank; k++) {
                target[row][k] = (float) w.x[k];
            }
        });
    }

    /**
     * The implicit-ALS objective: sum over all member-item pairs of c (p - x.y)^2 plus lambda times the
     * squared norms of all factors. Quadratic in members times items: for tests and small data.
     */
    public static double loss(SparseRows byMember, Factors factors, Settings settings) {
        int rank = factors.rank();
        double loss = 0;
        int numItems = byMember.numColumns();
        for (int m = 0; m < byMember.numRows(); m++) {
            float[] strength = new float[numItems];
            boolean[] positive = new boolean[numItems];
            for (int e = byMember.start(m); e < byMember.end(m); e++) {
                strength[byMember.column(e)] = (float) (settings.alpha() * Math.abs(byMember.weight(e)));
                positive[byMember.column(e)] = byMember.weight(e) > 0;
            }
            for (int i = 0; i < numItems; i++) {
                double dot = 0;
                for (int k = 0; k < rank; k++) {
                    dot += factors.members()[m * rank + k] * factors.items()[i * rank + k];
                }
                double error = (positive[i] ? 1 : 0) - dot;
                loss += (1 + strength[i]) * error * error;
            }
        }
        double norms = 0;
        for (float v : factors.members()) {
            norms += v * v;
        }
        for (float v : factors.items()) {
            norms += v * v;
        }
        return loss + settings.lambda() * norms;
    }

    private static final class Workspace {
        final ImplicitSolver solver;
        final double[] x;
        int[] columns = new int[256];
        float[] strengths = new float[256];
        boolean[] positive = new boolean[256];

        Workspace(Settings settings) {
            this.solver = ImplicitSolver.exact(settings.rank(), settings.lambda());
            this.x = new double[settings.rank()];
        }

        void ensure(int count) {
            if (columns.length < count) {
                columns = new int[count];
                strengths = new float[count];
                positive = new boolean[count];
            }
        }
    }
}
