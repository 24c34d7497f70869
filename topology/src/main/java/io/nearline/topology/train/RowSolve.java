package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitSolver;

/** One row of a training half-iteration (a member or a title) solved exactly with the shared {@link ImplicitSolver}. */
final class RowSolve {

    private final ImplicitSolver solver;
    private final int rank;
    private final double alpha;

    RowSolve(int rank, double lambda, double alpha) {
        this.solver = ImplicitSolver.exact(rank, lambda);
        this.rank = rank;
        this.alpha = alpha;
    }

    /** The row's factor from the other side's vectors and the row's weights with them (confidence 1 + alpha |w|). */
    float[] solve(double[] gram, float[][] vectors, float[] weights, int count) {
        int[] rows = new int[count];
        float[] strengths = new float[count];
        boolean[] positive = new boolean[count];
        for (int i = 0; i < count; i++) {
            rows[i] = i;
            strengths[i] = (float) (alpha * Math.abs(weights[i]));
            positive[i] = weights[i] > 0;
        }
        double[] x = new double[rank];
        solver.solve(gram, vectors, rows, strengths, positive, count, x);
        float[] vector = new float[rank];
        for (int k = 0; k < rank; k++) {
            vector[k] = (float) x[k];
        }
        return vector;
    }
}
