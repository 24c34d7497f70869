package io.nearline.operators.als;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ImplicitSolverTest {

    @ParameterizedTest
    @CsvSource({"CHOLESKY,8,50,false", "CHOLESKY,32,400,false", "CONJUGATE_GRADIENT,8,50,false", "CONJUGATE_GRADIENT,32,400,false",
            "CONJUGATE_GRADIENT,64,500,false", "CONJUGATE_GRADIENT,10,50,true", "CONJUGATE_GRADIENT,64,500,true"})
    void foldInAgreesWithADirectLeastSquaresSolveOfTheSameEquations(ImplicitSolver.Method method, int rank, int interactions,
            boolean vectorized) {
        Random random = new Random(rank * 31L + interactions);
        for (int trial = 0; trial < 5; trial++) {
            int items = 2000;
            Problem p = Problem.random(random, items, rank, interactions);
            double[] x = new double[rank];
            new ImplicitSolver(rank, p.lambda, method, 4 * rank, 1e-10, vectorized)
                    .solve(Gram.gram(p.factors, items, rank), FactorRows.vectors(p.factors, items, rank), p.rows, p.strengths, p.positive, interactions, x);
            double[] direct = p.solveDirectly();
            for (int k = 0; k < rank; k++) {
                assertThat(x[k]).as("factor %d of trial %d", k, trial).isCloseTo(direct[k], org.assertj.core.data.Offset.offset(1e-4));
            }
        }
    }

    @Test
    void warmStartFromANearbySolutionNeedsFewerConjugateGradientIterations() {
        Random random = new Random(7);
        int rank = 32;
        Problem p = Problem.random(random, 1000, rank, 200);
        double[] gram = Gram.gram(p.factors, 1000, rank);
        ImplicitSolver solver = new ImplicitSolver(rank, p.lambda, ImplicitSolver.Method.CONJUGATE_GRADIENT, 200, 1e-6);
        double[] cold = new double[rank];
        float[][] vectors = FactorRows.vectors(p.factors, 1000, rank);
        solver.solve(gram, vectors, p.rows, p.strengths, p.positive, 200, cold);
        int coldIterations = solver.lastIterations();
        // One more interaction moves the solution a little; starting from the old one is cheaper.
        p.strengths[0] *= 1.5f;
        double[] warm = cold.clone();
        solver.solve(gram, vectors, p.rows, p.strengths, p.positive, 200, warm);
        assertThat(solver.lastIterations()).isLessThan(coldIterations);
    }

    /** A random fold-in problem with its direct solution over every item, without the Gram shortcut. */
    static final class Problem {
        final float[] factors;
        final int[] rows;
        final float[] strengths;
        final boolean[] positive;
        final int items;
        final int rank;
        final double lambda = 0.5;

        private Problem(float[] factors, int[] rows, float[] strengths, boolean[] positive, int items, int rank) {
            this.factors = factors;
            this.rows = rows;
            this.strengths = strengths;
            this.positive = positive;
            this.items = items;
            this.rank = rank;
        }

        static Problem random(Random random, int items, int rank, int interactions) {
            float[] factors = new float[items * rank];
            for (int i = 0; i < factors.length; i++) {
                factors[i] = (float) (random.nextGaussian() * 0.3);
            }
            int[] rows = random.ints(0, items).distinct().limit(interactions).toArray();
            float[] strengths = new float[interactions];
            boolean[] positive = new boolean[interactions];
            for (int n = 0; n < interactions; n++) {
                strengths[n] = (float) (random.nextDouble() * 20);
                positive[n] = random.nextDouble() < 0.8;
            }
            return new Problem(factors, rows, strengths, positive, items, rank);
        }

        /** Minimises sum_i c_i (p_i - x.y_i)^2 + lambda |x|^2 over all items: Gaussian elimination on the normal equations. */
        double[] solveDirectly() {
            double[] confidence = new double[items];
            double[] preference = new double[items];
            java.util.Arrays.fill(confidence, 1);
            for (int n = 0; n < rows.length; n++) {
                confidence[rows[n]] = 1 + strengths[n];
                preference[rows[n]] = positive[n] ? 1 : 0;
            }
            double[][] a = new double[rank][rank + 1];
            for (int i = 0; i < items; i++) {
                for (int r = 0; r < rank; r++) {
                    double yr = factors[i * rank + r];
                    for (int c = 0; c < rank; c++) {
                        a[r][c] += confidence[i] * yr * factors[i * rank + c];
                    }
                    a[r][rank] += confidence[i] * preference[i] * yr;
                }
            }
            for (int r = 0; r < rank; r++) {
                a[r][r] += lambda;
            }
            for (int col = 0; col < rank; col++) {
                int pivot = col;
                for (int r = col + 1; r < rank; r++) {
                    if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                        pivot = r;
                    }
                }
                double[] swap = a[col];
                a[col] = a[pivot];
                a[pivot] = swap;
                for (int r = 0; r < rank; r++) {
                    if (r != col) {
                        double f = a[r][col] / a[col][col];
                        for (int c = col; c <= rank; c++) {
                            a[r][c] -= f * a[col][c];
                        }
                    }
                }
            }
            double[] x = new double[rank];
            for (int r = 0; r < rank; r++) {
                x[r] = a[r][rank] / a[r][r];
            }
            return x;
        }
    }
}
