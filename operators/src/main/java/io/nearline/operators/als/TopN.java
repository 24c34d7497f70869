package io.nearline.operators.als;

import java.util.Arrays;

/**
 * Scores every item for one member and keeps the best n. Item factors come dimension-major (all items'
 * first factor, then all second factors, ...), so scoring is a sequence of axpy loops that the JIT turns
 * into SIMD code; items are taken in blocks so that the scores stay in the L1 cache. Keeps scratch
 * buffers: one instance per thread.
 */
public final class TopN {

    private static final int BLOCK = 2048;

    private float[] scores = new float[0];
    private int[] bestRows = new int[0];
    private float[] bestScores = new float[0];
    private int size;

    /**
     * Scores all items and selects the best {@code n}, leaving out {@code excludedRows}.
     *
     * @param byDimension factors, dimension-major: factor k of item i at {@code k * numItems + i}
     * @return how many were selected (fewer than n if the catalog minus exclusions is smaller)
     */
    public int select(float[] byDimension, int numItems, int rank, double[] member, int[] excludedRows, int excludedCount, int n) {
        if (scores.length < numItems) {
            scores = new float[numItems];
        }
        float[] s = scores;
        for (int start = 0; start < numItems; start += BLOCK) {
            int end = Math.min(numItems, start + BLOCK);
            Arrays.fill(s, start, end, 0f);
            for (int k = 0; k < rank; k++) {
                float xk = (float) member[k];
                int base = k * numItems;
                for (int i = start; i < end; i++) {
                    s[i] += xk * byDimension[base + i];
                }
            }
        }
        for (int e = 0; e < excludedCount; e++) {
            s[excludedRows[e]] = Float.NEGATIVE_INFINITY;
        }
        return selectBest(s, numItems, n);
    }

    /** Selects the best n of scores already computed (negative infinity means excluded). */
    public int selectBest(float[] s, int numItems, int n) {
        if (bestRows.length < n) {
            bestRows = new int[n];
            bestScores = new float[n];
        }
        size = 0;
        for (int i = 0; i < numItems; i++) {
            float score = s[i];
            if (score != Float.NEGATIVE_INFINITY && (size < n || score > bestScores[n - 1])) {
                insert(i, score, n);
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
