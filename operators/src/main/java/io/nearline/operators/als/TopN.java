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

    private final float[] blockScores = new float[BLOCK];
    private final Best best = new Best();
    private final Best[] single = new Best[1];

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
        single[0] = best;
        selectBatch(layout, numItems, rank, new double[][] {member}, new int[][] {excludedRows}, new int[] {excludedCount}, 1, n, single);
        return best.size;
    }

    /**
     * {@link #select} for several members of one model at once: each block of item factors is read once for
     * all of them while it is in the L2 cache, so a batch costs about the arithmetic, where one member at a
     * time costs a pass over all factors from memory each (2.5 MB at 10k titles and rank 64). The result of
     * each member is exactly what {@link #select} gives it alone: same sums in the same order.
     *
     * @param out one {@link Best} per member, filled with its best n
     */
    public void selectBatch(float[][] layout, int numItems, int rank, double[][] members, int[][] excludedRows, int[] excludedCounts,
            int count, int n, Best[] out) {
        float[][] coefficients = new float[count][rank];
        for (int m = 0; m < count; m++) {
            for (int k = 0; k < rank; k++) {
                coefficients[m][k] = (float) members[m][k];
            }
            out[m].reset(n);
        }
        // Each member's exclusions bucketed by block once (a counting sort), so that each block sets only its own to
        // negative infinity: linear in the exclusions rather than exclusions times blocks.
        int blocks = (numItems + BLOCK - 1) / BLOCK;
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
                score(layout, base, rank, coefficients[m], s, length);
                int[] sorted = byBlock[m];
                for (int e = blockStarts[m][b], end = blockStarts[m][b + 1]; e < end; e++) {
                    s[sorted[e] - start] = Float.NEGATIVE_INFINITY;
                }
                out[m].offer(s, start, length);
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
        return best.size;
    }

    /**
     * The best n items of one member, highest score first; ties keep the lower row first. Kept as a heap with the
     * worst of the n at the root while items are offered (log n an insertion: a member whose scores rise along the
     * catalog inserts at nearly every item), sorted once when first read.
     */
    public static final class Best {
        private int[] rows = new int[0];
        private float[] scores = new float[0];
        private int size;
        private int n;
        private boolean sorted;

        void reset(int n) {
            if (rows.length < n) {
                rows = new int[n];
                scores = new float[n];
            }
            this.n = n;
            size = 0;
            sorted = false;
        }

        /** Offers items {@code first..first+length-1} with their scores in {@code s[0..length-1]}. */
        void offer(float[] s, int first, int length) {
            if (n == 0) {
                return;
            }
            int i = 0;
            // Until the heap is full every real score enters; then only those above its worst.
            for (; i < length && size < n; i++) {
                if (s[i] != Float.NEGATIVE_INFINITY) {
                    add(first + i, s[i]);
                }
            }
            // Rows come in increasing order, so an equal score never displaces a kept (lower) row.
            float threshold = size == n ? scores[0] : Float.POSITIVE_INFINITY;
            for (; i < length; i++) {
                float score = s[i];
                if (score > threshold) {
                    replaceWorst(first + i, score);
                    threshold = scores[0];
                }
            }
        }

        // Whether entry a ranks below entry b: a lower score, or the same score and a higher row.
        private boolean worse(int a, int b) {
            return scores[a] < scores[b] || (scores[a] == scores[b] && rows[a] > rows[b]);
        }

        private void add(int row, float score) {
            int position = size++;
            rows[position] = row;
            scores[position] = score;
            while (position > 0) {
                int parent = (position - 1) >>> 1;
                if (!worse(position, parent)) {
                    break;
                }
                swap(position, parent);
                position = parent;
            }
        }

        private void replaceWorst(int row, float score) {
            rows[0] = row;
            scores[0] = score;
            int position = 0;
            while (true) {
                int child = 2 * position + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && worse(child + 1, child)) {
                    child++;
                }
                if (!worse(child, position)) {
                    break;
                }
                swap(position, child);
                position = child;
            }
        }

        private void swap(int a, int b) {
            int row = rows[a];
            rows[a] = rows[b];
            rows[b] = row;
            float score = scores[a];
            scores[a] = scores[b];
            scores[b] = score;
        }

        // Best first: insertion sort of the n kept (tens of titles).
        private void sort() {
            if (sorted) {
                return;
            }
            for (int i = 1; i < size; i++) {
                int position = i;
                while (position > 0 && worse(position - 1, position)) {
                    swap(position - 1, position);
                    position--;
                }
            }
            sorted = true;
        }

        public int size() {
            return size;
        }

        public int row(int i) {
            sort();
            return rows[i];
        }

        public float score(int i) {
            sort();
            return scores[i];
        }
    }

    /** Row of the i-th best item of the last {@link #select}. */
    public int row(int i) {
        return best.row(i);
    }

    public float score(int i) {
        return best.score(i);
    }
}
