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
    /** Conjugate gradient's products with the Vector API ({@link VectorKernels}), without the transposed copy. */
    private final boolean vectorized;
    private final double[] matrix;
    private final double[][] wide;
    private final double[] rhs;
    private final double[] residual;
    private final double[] direction;
    private final double[] product;
    private final float[] vectorAsFloats;
    private final float[] accumulator;
    /** The interacted items' vectors (the model's own arrays, not copies). */
    private float[][] gathered = new float[0][];
    /** The same, transposed: {@code columns[k][n]} is factor k of the n-th interacted item. */
    private final float[][] columns;
    private int capacity;
    private final double[][] gramRows;
    private double[] rowsOf;
    /** Per interaction: the right-hand side's coefficient; in a product y_n . v, then s_n (y_n . v). */
    private float[] dots = new float[0];
    private int lastIterations;

    /**
     * @param maxIterations conjugate-gradient iterations at most (at most rank are ever needed in exact arithmetic)
     * @param tolerance conjugate gradient stops when the residual norm falls below this fraction of the right-hand side's
     */
    public ImplicitSolver(int rank, double lambda, Method method, int maxIterations, double tolerance) {
        this(rank, lambda, method, maxIterations, tolerance, VectorSupport.available());
    }

    /**
     * @param vectorized whether conjugate gradient uses the Vector API (which must then be available)
     */
    ImplicitSolver(int rank, double lambda, Method method, int maxIterations, double tolerance, boolean vectorized) {
        if (vectorized && !VectorSupport.available()) {
            throw new IllegalStateException("the Vector API is not available: run Java with --add-modules=jdk.incubator.vector");
        }
        this.vectorized = vectorized;
        if (rank <= 0) {
            throw new IllegalArgumentException("rank must be positive, not " + rank);
        }
        this.rank = rank;
        this.lambda = lambda;
        this.method = method;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
        this.matrix = new double[rank * rank];
        this.wide = new double[4][rank];
        this.rhs = new double[rank];
        this.residual = new double[rank];
        this.direction = new double[rank];
        this.product = new double[rank];
        this.vectorAsFloats = new float[rank];
        this.accumulator = new float[rank];
        this.columns = new float[rank][0];
        this.gramRows = new double[rank][rank];
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
     * @param vectors the other side's factors, one array of rank values per row
     * @param rows the rows of the interacted items
     * @param strengths alpha * |weight| per interaction, so the confidence is 1 + strength
     * @param positive whether each interaction is positive (preference 1) or negative (preference 0)
     * @param count how many of the arrays' entries to use
     * @param x on entry a warm start for conjugate gradient (zeros if none); on return the solution
     */
    public void solve(double[] gram, float[][] vectors, int[] rows, float[] strengths, boolean[] positive, int count, double[] x) {
        float[][] local = gather(vectors, rows, count);
        buildRhs(local, strengths, positive, count);
        if (method == Method.CHOLESKY) {
            lastIterations = 0;
            solveCholesky(gram, local, strengths, count, x);
        } else {
            solveConjugateGradient(gram, local, strengths, count, x);
        }
    }

    // The member's vectors by reference (read only), and for conjugate gradient in plain Java a transposed copy; the
    // pass that makes it also brings the vectors, spread over megabytes of factors, into the cache for the iterations.
    private float[][] gather(float[][] vectors, int[] rows, int count) {
        if (gathered.length < count) {
            gathered = new float[Math.max(count, gathered.length * 2)][];
        }
        if (capacity < count) {
            capacity = Math.max(count, capacity * 2);
            dots = new float[capacity];
            if (method == Method.CONJUGATE_GRADIENT && !vectorized) {
                for (int k = 0; k < rank; k++) {
                    columns[k] = new float[capacity];
                }
            }
        }
        for (int n = 0; n < count; n++) {
            gathered[n] = vectors[rows[n]];
        }
        if (method == Method.CONJUGATE_GRADIENT && !vectorized) {
            float[][] c = columns;
            int n = 0;
            // Four vectors at a time: four neighbouring stores per column, one lookup of the column for them.
            for (; n + 3 < count; n += 4) {
                float[] y0 = gathered[n];
                float[] y1 = gathered[n + 1];
                float[] y2 = gathered[n + 2];
                float[] y3 = gathered[n + 3];
                for (int k = 0; k < rank; k++) {
                    float[] column = c[k];
                    column[n] = y0[k];
                    column[n + 1] = y1[k];
                    column[n + 2] = y2[k];
                    column[n + 3] = y3[k];
                }
            }
            for (; n < count; n++) {
                float[] y = gathered[n];
                for (int k = 0; k < rank; k++) {
                    c[k][n] = y[k];
                }
            }
        }
        return gathered;
    }

    private void buildRhs(float[][] local, float[] strengths, boolean[] positive, int count) {
        // Accumulates in floats: the loop is an axpy the JIT vectorises (float to double conversions it does not).
        float[] acc = accumulator;
        java.util.Arrays.fill(acc, 0f);
        // A negative interaction adds nothing: preference 0.
        float[] c = dots;
        for (int n = 0; n < count; n++) {
            c[n] = positive[n] ? 1 + strengths[n] : 0;
        }
        addWeightedRows(acc, local, c, count);
        for (int k = 0; k < rank; k++) {
            rhs[k] = acc[k];
        }
    }

    private void solveCholesky(double[] gram, float[][] local, float[] strengths, int count, double[] x) {
        double[] a = matrix;
        System.arraycopy(gram, 0, a, 0, rank * rank);
        for (int k = 0; k < rank; k++) {
            a[k * rank + k] += lambda;
        }
        addWeightedOuterProducts(a, local, strengths, count);
        factorise(a);
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

    // Lower triangle of sum s_n y_n y_n^T, four interactions per pass over the matrix (a quarter of its loads and
    // stores), from double copies of the vectors so that the inner loops are plain double SIMD fused multiply-adds.
    private void addWeightedOuterProducts(double[] a, float[][] local, float[] strengths, int count) {
        double[] y0 = wide[0];
        double[] y1 = wide[1];
        double[] y2 = wide[2];
        double[] y3 = wide[3];
        int n = 0;
        for (; n + 3 < count; n += 4) {
            widen(local[n], y0);
            widen(local[n + 1], y1);
            widen(local[n + 2], y2);
            widen(local[n + 3], y3);
            double s0 = strengths[n];
            double s1 = strengths[n + 1];
            double s2 = strengths[n + 2];
            double s3 = strengths[n + 3];
            for (int i = 0; i < rank; i++) {
                double w0 = s0 * y0[i];
                double w1 = s1 * y1[i];
                double w2 = s2 * y2[i];
                double w3 = s3 * y3[i];
                int row = i * rank;
                for (int j = 0; j <= i; j++) {
                    a[row + j] = Math.fma(w3, y3[j], Math.fma(w2, y2[j], Math.fma(w1, y1[j], Math.fma(w0, y0[j], a[row + j]))));
                }
            }
        }
        for (; n < count; n++) {
            widen(local[n], y0);
            double s = strengths[n];
            for (int i = 0; i < rank; i++) {
                double w = s * y0[i];
                int row = i * rank;
                for (int j = 0; j <= i; j++) {
                    a[row + j] = Math.fma(w, y0[j], a[row + j]);
                }
            }
        }
    }

    // In-place Cholesky factorisation of the lower triangle (left-looking: measured faster here than the
    // right-looking form with contiguous updates, 18.7 vs 26.6 us a solve with few interactions at rank 64).
    private void factorise(double[] a) {
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
    }

    private void widen(float[] y, double[] out) {
        for (int k = 0; k < rank; k++) {
            out[k] = y[k];
        }
    }

    private void solveConjugateGradient(double[] gram, float[][] local, float[] strengths, int count, double[] x) {
        multiply(gram, local, strengths, count, x, product);
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
            multiply(gram, local, strengths, count, direction, product);
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
    private void multiply(double[] gram, float[][] local, float[] strengths, int count, double[] v, double[] out) {
        // (G + lambda I) v as axpys over G's rows (G is symmetric), four rows per pass, which the JIT vectorises.
        double[][] g = gramRows(gram);
        for (int k = 0; k < rank; k++) {
            out[k] = lambda * v[k];
        }
        int j = 0;
        for (; j + 3 < rank; j += 4) {
            double v0 = v[j];
            double v1 = v[j + 1];
            double v2 = v[j + 2];
            double v3 = v[j + 3];
            double[] g0 = g[j];
            double[] g1 = g[j + 1];
            double[] g2 = g[j + 2];
            double[] g3 = g[j + 3];
            for (int k = 0; k < rank; k++) {
                out[k] = Math.fma(v3, g3[k], Math.fma(v2, g2[k], Math.fma(v1, g1[k], Math.fma(v0, g0[k], out[k]))));
            }
        }
        for (; j < rank; j++) {
            double vj = v[j];
            double[] row = g[j];
            for (int k = 0; k < rank; k++) {
                out[k] = Math.fma(vj, row[k], out[k]);
            }
        }
        // The interactions' part in floats, like the factors, as two products the JIT turns into SIMD code: first
        // every y_n . v at once, as axpys over the interactions on the transposed copy (one dot product at a time
        // would be a chain of scalar adds); then sum_n s_n (y_n . v) y_n, as axpys over the dimensions. Math.fma:
        // one instruction per multiply-add.
        float[] vf = vectorAsFloats;
        float[] acc = accumulator;
        for (int k = 0; k < rank; k++) {
            vf[k] = (float) v[k];
            acc[k] = 0f;
        }
        if (vectorized) {
            // Each row's dot product as one SIMD reduction, then its weighted add: one pass, no transposed copy.
            VectorKernels.addWeightedProjections(acc, local, strengths, count, vf, rank);
            for (int k = 0; k < rank; k++) {
                out[k] += acc[k];
            }
            return;
        }
        float[] d = dots;
        float v0 = vf[0];
        float[] first = columns[0];
        for (int n = 0; n < count; n++) {
            d[n] = v0 * first[n];
        }
        for (int k = 1; k < rank; k++) {
            float vk = vf[k];
            float[] column = columns[k];
            for (int n = 0; n < count; n++) {
                d[n] = Math.fma(vk, column[n], d[n]);
            }
        }
        for (int n = 0; n < count; n++) {
            d[n] *= strengths[n];
        }
        addWeightedRows(acc, local, d, count);
        for (int k = 0; k < rank; k++) {
            out[k] += acc[k];
        }
    }

    /** acc += sum_n w[n] rows[n], four rows per pass over the accumulator: a quarter of its loads and stores. */
    private void addWeightedRows(float[] acc, float[][] rows, float[] w, int count) {
        int n = 0;
        for (; n + 3 < count; n += 4) {
            float w0 = w[n];
            float w1 = w[n + 1];
            float w2 = w[n + 2];
            float w3 = w[n + 3];
            float[] y0 = rows[n];
            float[] y1 = rows[n + 1];
            float[] y2 = rows[n + 2];
            float[] y3 = rows[n + 3];
            for (int k = 0; k < rank; k++) {
                acc[k] = Math.fma(w3, y3[k], Math.fma(w2, y2[k], Math.fma(w1, y1[k], Math.fma(w0, y0[k], acc[k]))));
            }
        }
        for (; n < count; n++) {
            float wn = w[n];
            float[] y = rows[n];
            for (int k = 0; k < rank; k++) {
                acc[k] = Math.fma(wn, y[k], acc[k]);
            }
        }
    }

    /** G as one array per row, made again only when another model's G comes. */
    private double[][] gramRows(double[] gram) {
        if (gram != rowsOf) {
            for (int i = 0; i < rank; i++) {
                System.arraycopy(gram, i * rank, gramRows[i], 0, rank);
            }
            rowsOf = gram;
        }
        return gramRows;
    }
}
