package io.nearline.operators.als;

/** Gram matrices Y^T Y of factor rows (row-major, rank x rank), for the solvers' normal equations. */
public final class Gram {

    private Gram() {}

    /** Y^T Y of row-major factors, rank x rank. */
    public static double[] gram(float[] factors, int rows, int rank) {
        return gram(FactorRows.vectors(factors, rows, rank), rank);
    }

    /** Y^T Y of the rows' vectors, rank x rank. */
    public static double[] gram(float[][] vectors, int rank) {
        double[] gram = new double[rank * rank];
        for (float[] y : vectors) {
            add(gram, y, rank);
        }
        complete(gram, rank);
        return gram;
    }

    /** Adds y y^T to the lower triangle of a Gram matrix being summed (row-major, rank x rank). */
    public static void add(double[] gram, float[] y, int rank) {
        for (int i = 0; i < rank; i++) {
            double fi = y[i];
            int row = i * rank;
            for (int j = 0; j <= i; j++) {
                gram[row + j] += fi * y[j];
            }
        }
    }

    /** Copies the lower triangle of a summed Gram matrix to its upper triangle. */
    public static void complete(double[] gram, int rank) {
        for (int i = 0; i < rank; i++) {
            for (int j = i + 1; j < rank; j++) {
                gram[i * rank + j] = gram[j * rank + i];
            }
        }
    }
}
