package io.nearline.operators.als;

import java.util.Arrays;

/**
 * Scores every item for one member and keeps the best n. Item factors come in a {@link ScoringLayout}: for each
 * block of {@value #BLOCK} items, one array per dimension. Scoring a block is then a sequence of axpy loops over
 * two arrays with the same index, the one loop shape the JIT turns into SIMD code (with an offset between the
 * arrays' indexes it does not), and the block's scores stay in the L1 cache. With bfloat16 columns the scores
 * are approximate: every item within the error bound of the n-th best is kept as a candidate and scored again
 * exactly, so both layouts give the same titles and scores. Keeps scratch buffers: one instance per thread.
 */
public final class TopN {

    /** Items per block of the scoring layout. */
    public static final int BLOCK = 1024;

    /**
     * Twice the bound on |approximate - exact| of a score, per unit of |x| max|y|: bfloat16 rounding (2^-8 of each
     * term) and float rounding of both sums (rank 2^-24 each: 2^-17 at rank 64, within the 2^-10 allowed up to rank
     * 8192).
     */
    private static final double SLACK = 2 * (0x1p-8 + 0x1p-10);

    private final float[] blockScores = new float[BLOCK];
    private final BestN best = new BestN();
    private final BestN[] single = new BestN[1];

    /**
     * Scores all items and selects the best {@code n}, leaving out {@code excludedRows}.
     *
     * @return how many were selected (fewer than n if the catalog minus exclusions is smaller)
     */
    public int select(ScoringLayout layout, double[] member, int[] excludedRows, int excludedCount, int n) {
        single[0] = best;
        selectBatch(layout, new double[][] {member}, new int[][] {excludedRows}, new int[] {excludedCount}, 1, n, single);
        return best.size();
    }

    /**
     * {@link #select} for several members of one model at once: each block of item factors is read once for
     * all of them while it is in the L2 cache, so a batch costs about the arithmetic, where one member at a
     * time costs a pass over all factors from memory each (2.5 MB at 10k titles and rank 64). The result of
     * each member is exactly what {@link #select} gives it alone: same sums in the same order.
     *
     * @param out one {@link BestN} per member, filled with its best n
     */
    public void selectBatch(ScoringLayout layout, double[][] members, int[][] excludedRows, int[] excludedCounts,
            int count, int n, BestN[] out) {
        int numItems = layout.numItems;
        int rank = layout.rank;
        ScoringLayout.BFloat16 approximate = layout instanceof ScoringLayout.BFloat16 b ? b : null;
        float[][] coefficients = new float[count][rank];
        float[] slack = new float[count];
        for (int m = 0; m < count; m++) {
            double norm = 0;
            for (int k = 0; k < rank; k++) {
                coefficients[m][k] = (float) members[m][k];
                norm += (double) coefficients[m][k] * coefficients[m][k];
            }
            if (approximate != null) {
                slack[m] = (float) (SLACK * Math.sqrt(norm) * approximate.maxNorm + Float.MIN_NORMAL);
            }
            out[m].reset(n);
        }
        // Each member's exclusions bucketed by block once (a counting sort), so that each block sets only its own to
        // negative infinity: linear in the exclusions rather than exclusions times blocks.
        int blocks = ScoringLayout.blocks(numItems);
        int[][] byBlock = new int[count][];
        int[][] blockStarts = new int[count][];
        for (int m = 0; m < count; m++) {
            int[] rows = excludedRows[m];
            int[] starts = new int[blocks + 1];
            for (int e = 0; e < excludedCounts[m]; e++) {
                int row = rows[e];
                if (row >= 0 && row < numItems) {
                    starts[row / BLOCK + 1]++;
                }
            }
            for (int b = 0; b < blocks; b++) {
                starts[b + 1] += starts[b];
            }
            int[] sorted = new int[starts[blocks]];
            int[] next = Arrays.copyOf(starts, blocks);
            for (int e = 0; e < excludedCounts[m]; e++) {
                int row = rows[e];
                if (row >= 0 && row < numItems) {
                    sorted[next[row / BLOCK]++] = row;
                }
            }
            byBlock[m] = sorted;
            blockStarts[m] = starts;
        }
        float[] s = blockScores;
        for (int b = 0, start = 0; start < numItems; b++, start += BLOCK) {
            int length = Math.min(BLOCK, numItems - start);
            int base = b * rank;
            for (int m = 0; m < count; m++) {
                if (approximate != null) {
                    VectorKernels.scoreBFloat16(approximate.columns, base, rank, coefficients[m], s, length);
                } else {
                    score(((ScoringLayout.Floats) layout).columns, base, rank, coefficients[m], s, length);
                }
                int[] sorted = byBlock[m];
                for (int e = blockStarts[m][b], end = blockStarts[m][b + 1]; e < end; e++) {
                    s[sorted[e] - start] = Float.NEGATIVE_INFINITY;
                }
                if (approximate != null) {
                    out[m].offerCandidates(s, start, length, slack[m]);
                } else {
                    out[m].offer(s, start, length);
                }
            }
        }
        if (approximate != null) {
            for (int m = 0; m < count; m++) {
                out[m].rescore(layout.rows, coefficients[m], rank, slack[m]);
            }
        }
    }

    /** The scores of one block of items for one member into {@code s}. */
    private static void score(float[][] layout, int base, int rank, float[] x, float[] s, int length) {
        Arrays.fill(s, 0, length, 0f);
        int k = 0;
        // Four dimensions per pass: a quarter of the loads and stores of the scores. Math.fma, because Java may not
        // fuse a * b + c by itself (it rounds twice): the fused form is one vector instruction, not two.
        for (; k + 3 < rank; k += 4) {
            float x0 = x[k];
            float x1 = x[k + 1];
            float x2 = x[k + 2];
            float x3 = x[k + 3];
            float[] c0 = layout[base + k];
            float[] c1 = layout[base + k + 1];
            float[] c2 = layout[base + k + 2];
            float[] c3 = layout[base + k + 3];
            for (int i = 0; i < length; i++) {
                s[i] = Math.fma(x3, c3[i], Math.fma(x2, c2[i], Math.fma(x1, c1[i], Math.fma(x0, c0[i], s[i]))));
            }
        }
        for (; k < rank; k++) {
            float xk = x[k];
            float[] column = layout[base + k];
            for (int i = 0; i < length; i++) {
                s[i] = Math.fma(xk, column[i], s[i]);
            }
        }
    }

    /** Selects the best n of scores already computed (negative infinity means excluded). */
    public int selectBest(float[] s, int numItems, int n) {
        best.reset(n);
        best.offer(s, 0, numItems);
        return best.size();
    }

    /** Row of the i-th best item of the last {@link #select}. */
    public int row(int i) {
        return best.row(i);
    }

    public float score(int i) {
        return best.score(i);
    }
}
