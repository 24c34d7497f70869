package io.nearline.operators.als;

/** Factors as one row-major array and as one array per row, the form the solvers read. */
public final class FactorRows {

    private FactorRows() {}

    /** Row-major factors as one array per row, the form the solver reads. */
    public static float[][] vectors(float[] factors, int rows, int rank) {
        float[][] vectors = new float[rows][];
        for (int n = 0; n < rows; n++) {
            vectors[n] = java.util.Arrays.copyOfRange(factors, n * rank, (n + 1) * rank);
        }
        return vectors;
    }

    /** One array per row back to row-major. */
    public static float[] flatten(float[][] vectors, int rank) {
        float[] flat = new float[vectors.length * rank];
        for (int n = 0; n < vectors.length; n++) {
            System.arraycopy(vectors[n], 0, flat, n * rank, rank);
        }
        return flat;
    }
}
