package io.nearline.operators.als;

/**
 * The implicit-ALS solve for one row (Hu, Koren, Volinsky 2008), shared by nearline fold-in and offline
 * training. For a member with interactions i of strength s_i = alpha * |w_i| and preference p_i (1 for a
 * positive weight, 0 for a negative one), it solves
 * <pre>(G + lambda I + sum_i s_i y_i y_i^T) x = sum_i (1 + s_i) p_i y_i</pre>
 * where G = Y^T Y is the Gram matrix of the other side, shipped with the model so that a solve costs in the
 * member's interactions, not in the catalog. Keeps scratch buffers: one instance per thread.
 */
public final class ImplicitSolver {

    /** How to solve the normal equations; chosen by {@code bin/nearline bench foldin}. */
    public enum Method {
        /** Builds the matrix and factorises it: exact, rank^2 per interaction. */
        CHOLESKY,
        /** Conjugate gradient, warm-started from the previous solution: rank per interaction per iteration. */
        CONJUGATE_GRADIENT
    }

    private final int rank;
    private final double lambda;
    private final Method method;
    private final int maxIterations;
    private final double tolerance;
    private final double[] matrix;
    private final double[] rhs;
    private final double[] residual;
    private final double[] direction;
    private final double[] product;
    private int lastIterations;

    /**
     * @param maxIterations conjugate-gradient iterations at most (at most rank are ever needed in exact arithmetic)
     * @param tolerance conjugate gradient stops when the residual norm falls below this fraction of the right-hand side's
     */
    public ImplicitSolver(int rank, double lambda, Method method, int maxIterations, double tolerance) {
        if (rank <= 0) {
            throw new IllegalArgumentException("rank must be positive, not " + rank);
        }
        this.rank = rank;
        this.lambda = lambda;
        this.method = method;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.matrix = new double[rank * rank];
        this.rhs = new double[rank];
        this.residual = new double[rank];
        this.direction = new double[rank];
        this.product = new double[rank];
    }

    /** An exact solver, for training and tests. */
    public static ImplicitSolver exact(int rank, double lambda) {
        return new ImplicitSolver(rank, lambda, Method.CHOLESKY, rank, 0);
    }

    public int rank() {
        return rank;
    }

    /** Conjugate-gradient iterations of the last solve (0 for Cholesky). */
    public int lastIterations() {
        return lastIterations;
    }

    /**
     * Solves for one row.
     *
     * @param gram Y^T Y, rank x rank, row-major
     * @param factors the other side's factors, row-major, rank per row
     * @param rows the rows of the interacted items
     * @param strengths alpha * |weight| per interaction, so the confidence is 1 + strength
     * @param positive whether each interaction is positive (preference 1) or negative (preference 0)
     * @param count how many of the arrays' entries to use
     * @param x on entry a warm start for conjugate gradient (zeros if none); on return the solution
     */
    public void solve(double[] gram, float[] factors, int[] rows, float[] strengths, boolean[] positive, int count, double[] x) {
        buildRhs(factors, rows, strengths, positive, count);
        if (method == Method.CHOLESKY) {
            lastIterations = 0;
            solveCholesky(gram, factors, rows, strengths, count, x);
        } else {
            solveConjugateGradient(gram, factors, rows, strengths, count, x);
        }
    }

    private void buildRhs(float[] factors, int[] rows, float[] strengths, boolean[] positive, int count) {
        java.util.Arrays.fill(rhs, 0);
        for (int n = 0; n < count; n++) {
            if (!positive[n]) {
                continue;
            }
            double c = 1 + strengths[n];
            int base = rows[n] * rank;
            for (int k = 0; k < rank; k++) {
                rhs[k] += c * factors[base + k];
            }
        }
    }

    private void solveCholesky(double[] gram, float[] factors, int[] rows, float[] strengths, int count, double[] x) {
        double[] a = matrix;
        System.arraycopy(gram, 0, a, 0, rank * rank);
        for (int k = 0; k < rank; k++) {
            a[k * rank + k] += lambda;
        }
        // Lower triangle only: the factorisation reads no more.
        for (int n = 0; n < count; n++) {
            double s = strengths[n];
            if (s == 0) {
                continue;
            }
            int base = rows[n] * rank;
            for (int i = 0; i < rank; i++) {
                double si = s * factors[base + i];
                int row = i * rank;
                for (int j = 0; j <= i; j++) {
                    a[row + j] += si * factors[base + j];
                }
            }
        }
        for (int j = 0; j < rank; j++) {
            int rowJ = j * rank;
            double diagonal = a[rowJ + j];
            for (int k = 0; k < j; k++) {
                diagonal -= a[rowJ + k] * a[rowJ + k];
            }
            if (!(diagonal > 0)) {
                throw new ArithmeticException("matrix is not positive definite; is lambda > 0?");
            }
            double l = Math.sqrt(diagonal);
            a[rowJ + j] = l;
            for (int i = j + 1; i < rank; i++) {
                int rowI = i * rank;
                double sum = a[rowI + j];
                for (int k = 0; k < j; k++) {
                    sum -= a[rowI + k] * a[rowJ + k];
                }
                a[rowI + j] = sum / l;
            }
        }
        // L y = b, then L^T x = y.
        for (int i = 0; i < rank; i++) {
            double sum = rhs[i];
            int row = i * rank;
            for (int k = 0; k < i; k++) {
                sum -= a[row + k] * x[k];
            }
            x[i] = sum / a[row + i];
        }
        for (int i = rank - 1; i >= 0; i--) {
            double sum = x[i];
            for (int k = i + 1; k < rank; k++) {
                sum -= a[k * rank + i] * x[k];
            }
            x[i] = sum / a[i * rank + i];
        }
    }

    private void solveConjugateGradient(double[] gram, float[] factors, int[] rows, float[] strengths, int count, double[] x) {
        multiply(gram, factors, rows, strengths, count, x, product);
        double rr = 0;
        double bb = 0;
        for (int k = 0; k < rank; k++) {
            residual[k] = rhs[k] - product[k];
            direction[k] = residual[k];
            rr += residual[k] * residual[k];
            bb += rhs[k] * rhs[k];
        }
        double stop = tolerance * tolerance * Math.max(bb, Double.MIN_NORMAL);
        int iteration = 0;
        while (iteration < maxIterations && rr > stop) {
            multiply(gram, factors, rows, strengths, count, direction, product);
            double pAp = 0;
            for (int k = 0; k < rank; k++) {
                pAp += direction[k] * product[k];
            }
            double step = rr / pAp;
            double next = 0;
            for (int k = 0; k < rank; k++) {
                x[k] += step * direction[k];
                residual[k] -= step * product[k];
                next += residual[k] * residual[k];
            }
            double beta = next / rr;
            for (int k = 0; k < rank; k++) {
                direction[k] = residual[k] + beta * direction[k];
            }
            rr = next;
            iteration++;
        }
        lastIterations = iteration;
    }

    /** out = (G + lambda I + sum s_i y_i y_i^T) v, without forming the matrix. */
    private void multiply(double[] gram, float[] factors, int[] rows, float[] strengths, int count, double[] v, double[] out) {
        for (int i = 0; i < rank; i++) {
            double sum = lambda * v[i];
            int row = i * rank;
            for (int j = 0; j < rank; j++) {
                sum += gram[row + j] * v[j];
            }
            out[i] = sum;
        }
        for (int n = 0; n < count; n++) {
            double s = strengths[n];
            if (s == 0) {
                continue;
            }
            int base = rows[n] * rank;
            double dot = 0;
            for (int k = 0; k < rank; k++) {
                dot += factors[base + k] * v[k];
            }
            double scale = s * dot;
            for (int k = 0; k < rank; k++) {
                out[k] += scale * factors[base + k];
            }
        }
    }

    /** Y^T Y of row-major factors, rank x rank. */
    public static double[] gram(float[] factors, int rows, int rank) {
        double[] gram = new double[rank * rank];
        for (int n = 0; n < rows; n++) {
            int base = n * rank;
            for (int i = 0; i < rank; i++) {
                double fi = factors[base + i];
                int row = i * rank;
                for (int j = 0; j <= i; j++) {
                    gram[row + j] += fi * factors[base + j];
                }
            }
        }
        for (int i = 0; i < rank; i++) {
            for (int j = i + 1; j < rank; j++) {
                gram[i * rank + j] = gram[j * rank + i];
            }
        }
        return gram;
    }
}
