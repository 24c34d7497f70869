package io.nearline.operators.als;

import java.util.Arrays;

/**
 * Scores every item for one member and keeps the best n. Item factors come in the {@link #layout scoring
 * layout}: for each block of {@value #BLOCK} items, one array per dimension. Scoring a block is then a
 * sequence of axpy loops over two arrays with the same index, the one loop shape the JIT turns into SIMD
 * code (with an offset between the arrays' indexes it does not), and the block's scores stay in the L1
 * cache. Keeps scratch buffers: one instance per thread.
 */
public final class TopN {

    /** Items per block of the scoring layout. */
    public static final int BLOCK = 1024;

    private float[] scores = new float[0];
    private final float[] blockScores = new float[BLOCK];
    private int[] bestRows = new int[0];
    private float[] bestScores = new float[0];
    private int size;

    /**
     * The scoring layout of row-major factors: array {@code b * rank + k} holds factor k of the items of
     * block b ({@value #BLOCK} items per block, the last one may be shorter).
     */
    public static float[][] layout(float[] rowMajor, int numItems, int rank) {
        int blocks = (numItems + BLOCK - 1) / BLOCK;
        float[][] layout = new float[blocks * rank][];
        for (int b = 0; b < blocks; b++) {
            int start = b * BLOCK;
            int length = Math.min(BLOCK, numItems - start);
            for (int k = 0; k < rank; k++) {
                float[] column = new float[length];
                for (int i = 0; i < length; i++) {
                    column[i] = rowMajor[(start + i) * rank + k];
                }
                layout[b * rank + k] = column;
            }
        }
        return layout;
    }

    /**
     * Scores all items and selects the best {@code n}, leaving out {@code excludedRows}.
     *
     * @param layout factors in the {@link #layout scoring layout}
     * @return how many were selected (fewer than n if the catalog minus exclusions is smaller)
     */
    public int select(float[][] layout, int numItems, int rank, double[] member, int[] excludedRows, int excludedCount, int n) {
        if (scores.length < numItems) {
            scores = new float[numItems];
        }
        float[] s = blockScores;
        for (int b = 0, start = 0; start < numItems; b++, start += BLOCK) {
            int length = Math.min(BLOCK, numItems - start);
            Arrays.fill(s, 0, length, 0f);
            int base = b * rank;
            int k = 0;
            // Four dimensions per pass: a quarter of the loads and stores of the scores.
            for (; k + 3 < rank; k += 4) {
                float x0 = (float) member[k];
                float x1 = (float) member[k + 1];
                float x2 = (float) member[k + 2];
                float x3 = (float) member[k + 3];
                float[] c0 = layout[base + k];
                float[] c1 = layout[base + k + 1];
                float[] c2 = layout[base + k + 2];
                float[] c3 = layout[base + k + 3];
                for (int i = 0; i < length; i++) {
                    s[i] += x0 * c0[i] + x1 * c1[i] + x2 * c2[i] + x3 * c3[i];
                }
            }
            for (; k < rank; k++) {
                float xk = (float) member[k];
                float[] column = layout[base + k];
                for (int i = 0; i < length; i++) {
                    s[i] += xk * column[i];
                }
            }
            System.arraycopy(s, 0, scores, start, length);
        }
        for (int e = 0; e < excludedCount; e++) {
            scores[excludedRows[e]] = Float.NEGATIVE_INFINITY;
        }
        return selectBest(scores, numItems, n);
    }

    /** Selects the best n of scores already computed (negative infinity means excluded). */
    public int selectBest(float[] s, int numItems, int n) {
        if (bestRows.length < n) {
            bestRows = new int[n];
            bestScores = new float[n];
        }
        size = 0;
        // Until the list is full every real score enters; then only those above the current last.
        float threshold = Float.NEGATIVE_INFINITY;
        int i = 0;
        for (; i < numItems && size < n; i++) {
            if (s[i] != Float.NEGATIVE_INFINITY) {
                insert(i, s[i], n);
            }
        }
        if (size == n) {
            threshold = bestScores[n - 1];
        }
        for (; i < numItems; i++) {
            float score = s[i];
            if (score > threshold) {
                insert(i, score, n);
                threshold = bestScores[n - 1];
            }
        }
        return size;
    }

    // Insertion into a short sorted list: n is a row's length, tens of titles.
    private void insert(int row, float score, int n) {
        int position = size < n ? size++ : n - 1;
        while (position > 0 && bestScores[position - 1] < score) {
            bestScores[position] = bestScores[position - 1];
            bestRows[position] = bestRows[position - 1];
            position--;
        }
        bestScores[position] = score;
        bestRows[position] = row;
    }

    /** Row of the i-th best item. */
    public int row(int i) {
        return bestRows[i];
    }

    public float score(int i) {
        return bestScores[i];
    }

    /** The scores of the last {@link #select}, for all items; valid until the next call. */
    public float[] scores() {
        return scores;
    }
}
