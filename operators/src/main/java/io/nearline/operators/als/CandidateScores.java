package io.nearline.operators.als;

/**
 * Exact scores of a few chosen titles (a member's candidates) against a member's factor: one dot product per title
 * from the model's float rows, with the Vector API where it is available.
 */
public final class CandidateScores {

    private static final boolean VECTORIZED = VectorSupport.available();

    private CandidateScores() {}

    /** {@code out[c] = rows[titles[c]] . x} for {@code c < count}. */
    public static void dots(float[][] rows, int[] titles, int count, float[] x, float[] out) {
        if (VECTORIZED) {
            VectorKernels.dots(rows, titles, count, x, out);
        } else {
            plainDots(rows, titles, count, x, out);
        }
    }

    static void plainDots(float[][] rows, int[] titles, int count, float[] x, float[] out) {
        for (int c = 0; c < count; c++) {
            float[] y = rows[titles[c]];
            float dot = 0;
            for (int k = 0; k < x.length; k++) {
                dot = Math.fma(y[k], x[k], dot);
            }
            out[c] = dot;
        }
    }
}
