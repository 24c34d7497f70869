package io.nearline.operators.als;

/**
 * A model's item factors arranged for scoring every title for a member ({@link TopN}): for each block of
 * {@value TopN#BLOCK} items, one array per dimension, so that scoring a block is a run of axpy loops over arrays
 * with the same index (SIMD code) while the block's scores stay in the L1 cache.
 *
 * <p>Scoring one member is bound by how fast the factors stream from the L2 cache (one multiply-add per value
 * read), so where the Vector API is available ({@link VectorSupport}) the columns are stored as bfloat16, half
 * the bytes: those approximate scores pick the candidates, within a proven error bound of the n-th best, and the
 * candidates are scored again exactly from {@link #rows}. Either form selects the same titles with the same
 * scores.
 */
public abstract sealed class ScoringLayout permits ScoringLayout.Floats, ScoringLayout.BFloat16 {

    final int numItems;
    final int rank;
    /** The exact factors of each item (row): the model's own arrays. */
    final float[][] rows;

    private ScoringLayout(float[][] rows, int rank) {
        this.numItems = rows.length;
        this.rank = rank;
        this.rows = rows;
    }

    /** The fastest layout this JVM can score: bfloat16 columns with the Vector API, float columns without. */
    public static ScoringLayout of(float[][] rows, int rank) {
        return VectorSupport.available() ? bfloat16(rows, rank) : floats(rows, rank);
    }

    /** Float columns, scored by plain Java loops the JIT vectorises. */
    public static ScoringLayout floats(float[][] rows, int rank) {
        return new Floats(rows, rank);
    }

    /**
     * bfloat16 columns, scored with the Vector API.
     *
     * @throws IllegalStateException if the Vector API is not available
     */
    public static ScoringLayout bfloat16(float[][] rows, int rank) {
        if (!VectorSupport.available()) {
            throw new IllegalStateException("bfloat16 scoring needs the Vector API: run Java with --add-modules=jdk.incubator.vector");
        }
        return new BFloat16(rows, rank);
    }

    public int numItems() {
        return numItems;
    }

    public int rank() {
        return rank;
    }

    static int blocks(int numItems) {
        return (numItems + TopN.BLOCK - 1) / TopN.BLOCK;
    }

    /** Float columns: array {@code b * rank + k} holds factor k of the items of block b. */
    static final class Floats extends ScoringLayout {
        final float[][] columns;

        private Floats(float[][] rows, int rank) {
            super(rows, rank);
            int blocks = blocks(numItems);
            columns = new float[blocks * rank][];
            for (int b = 0; b < blocks; b++) {
                int start = b * TopN.BLOCK;
                int length = Math.min(TopN.BLOCK, numItems - start);
                for (int k = 0; k < rank; k++) {
                    float[] column = new float[length];
                    for (int i = 0; i < length; i++) {
                        column[i] = rows[start + i][k];
                    }
                    columns[b * rank + k] = column;
                }
            }
        }
    }

    /**
     * bfloat16 columns (the upper 16 bits of a float, rounded to nearest even), laid out like {@link Floats}, and
     * the largest norm of an item's factors, which bounds the error of an approximate score.
     */
    static final class BFloat16 extends ScoringLayout {
        final short[][] columns;
        final float maxNorm;

        private BFloat16(float[][] rows, int rank) {
            super(rows, rank);
            int blocks = blocks(numItems);
            columns = new short[blocks * rank][];
            for (int b = 0; b < blocks; b++) {
                int start = b * TopN.BLOCK;
                int length = Math.min(TopN.BLOCK, numItems - start);
                for (int k = 0; k < rank; k++) {
                    short[] column = new short[length];
                    for (int i = 0; i < length; i++) {
                        column[i] = toBFloat16(rows[start + i][k]);
                    }
                    columns[b * rank + k] = column;
                }
            }
            double max = 0;
            for (float[] row : rows) {
                double sum = 0;
                for (int k = 0; k < rank; k++) {
                    sum += (double) row[k] * row[k];
                }
                max = Math.max(max, Math.sqrt(sum));
            }
            maxNorm = (float) max;
        }

        /** Round to nearest even; relative error at most 2^-8 (a NaN stays a NaN). */
        static short toBFloat16(float value) {
            int bits = Float.floatToRawIntBits(value);
            if (Float.isNaN(value)) {
                return (short) ((bits >>> 16) | 0x40);
            }
            int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
            return (short) (rounded >>> 16);
        }

        static float toFloat(short value) {
            return Float.intBitsToFloat(value << 16);
        }
    }
}
