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
    private final Best best = new Best();
    private final Best[] single = new Best[1];

    /**
     * Scores all items and selects the best {@code n}, leaving out {@code excludedRows}.
     *
     * @return how many were selected (fewer than n if the catalog minus exclusions is smaller)
     */
    public int select(ScoringLayout layout, double[] member, int[] excludedRows, int excludedCount, int n) {
        single[0] = best;
        selectBatch(layout, new double[][] {member}, new int[][] {excludedRows}, new int[] {excludedCount}, 1, n, single);
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
    public void selectBatch(ScoringLayout layout, double[][] members, int[][] excludedRows, int[] excludedCounts,
            int count, int n, Best[] out) {
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
        /** Items that may be in the exact best n, in increasing row order, with their approximate scores. */
        private int[] candidateRows = new int[0];
        private float[] candidateScores = new float[0];
        private int candidates;

        /**
         * Keeps exactly these {@code count} rows with their exact scores, for a caller that scored its own set of titles
         * (the online gallery scores one facet's titles); the rows must be distinct.
         */
        public void keepAll(int[] rows, float[] scores, int count) {
            reset(count);
            for (int i = 0; i < count; i++) {
                add(rows[i], scores[i]);
            }
        }

        void reset(int n) {
            if (rows.length < n) {
                rows = new int[n];
                scores = new float[n];
            }
            if (candidateRows.length < 2 * n + 64) {
                candidateRows = new int[2 * n + 64];
                candidateScores = new float[2 * n + 64];
            }
            this.n = n;
            size = 0;
            sorted = false;
            candidates = 0;
        }

        /**
         * {@link #offer} of approximate scores, keeping as candidates every item within {@code slack} of the n-th
         * best so far: the n-th best only rises, so no item of the exact best n is ever dropped.
         */
        void offerCandidates(float[] s, int first, int length, float slack) {
            if (n == 0) {
                return;
            }
            int i = fill(s, first, length, true);
            float threshold = size == n ? scores[0] : Float.POSITIVE_INFINITY;
            float bar = threshold - slack;
            // Most items are below the bar: skipped a vector at a time.
            for (i = VectorKernels.indexAtLeast(s, i, length, bar); i < length; i = VectorKernels.indexAtLeast(s, i + 1, length, bar)) {
                float score = s[i];
                if (score == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                addCandidate(first + i, score, bar);
                if (score > threshold) {
                    replaceWorst(first + i, score);
                    threshold = scores[0];
                    bar = threshold - slack;
                }
            }
        }

        private void addCandidate(int row, float score, float bar) {
            if (candidates == candidateRows.length) {
                // Drop those that fell below the bar since they came; grow only if that frees too little.
                int kept = 0;
                for (int c = 0; c < candidates; c++) {
                    if (candidateScores[c] >= bar) {
                        candidateRows[kept] = candidateRows[c];
                        candidateScores[kept++] = candidateScores[c];
                    }
                }
                candidates = kept;
                if (kept > candidateRows.length / 2) {
                    candidateRows = Arrays.copyOf(candidateRows, 2 * candidateRows.length);
                    candidateScores = Arrays.copyOf(candidateScores, 2 * candidateScores.length);
                }
            }
            candidateRows[candidates] = row;
            candidateScores[candidates++] = score;
        }

        /**
         * Replaces the approximate best n by the exact best n: the candidates within {@code slack} of the n-th best
         * approximate score, scored exactly as the float layout scores them (fused multiply-adds in k order).
         */
        void rescore(float[][] vectors, float[] x, int rank, float slack) {
            float bar = size == n ? scores[0] - slack : Float.NEGATIVE_INFINITY;
            size = 0;
            sorted = false;
            int kept = 0;
            for (int c = 0; c < candidates; c++) {
                if (candidateScores[c] >= bar) {
                    candidateRows[kept++] = candidateRows[c];
                }
            }
            int c = 0;
            // Four candidates at a time: four independent chains of multiply-adds, each in k order as in the float layout.
            for (; c + 3 < kept; c += 4) {
                float[] y0 = vectors[candidateRows[c]];
                float[] y1 = vectors[candidateRows[c + 1]];
                float[] y2 = vectors[candidateRows[c + 2]];
                float[] y3 = vectors[candidateRows[c + 3]];
                float s0 = 0f;
                float s1 = 0f;
                float s2 = 0f;
                float s3 = 0f;
                for (int k = 0; k < rank; k++) {
                    float xk = x[k];
                    s0 = Math.fma(xk, y0[k], s0);
                    s1 = Math.fma(xk, y1[k], s1);
                    s2 = Math.fma(xk, y2[k], s2);
                    s3 = Math.fma(xk, y3[k], s3);
                }
                offerExact(candidateRows[c], s0);
                offerExact(candidateRows[c + 1], s1);
                offerExact(candidateRows[c + 2], s2);
                offerExact(candidateRows[c + 3], s3);
            }
            for (; c < kept; c++) {
                float[] y = vectors[candidateRows[c]];
                float score = 0f;
                for (int k = 0; k < rank; k++) {
                    score = Math.fma(x[k], y[k], score);
                }
                offerExact(candidateRows[c], score);
            }
            candidates = 0;
        }

        // Rows come in increasing order: an equal score never displaces a kept (lower) row.
        private void offerExact(int row, float score) {
            if (size < n) {
                add(row, score);
            } else if (score > scores[0]) {
                replaceWorst(row, score);
            }
        }

        /**
         * Until the heap is full every real score enters (and, if asked, the candidates); then only those above its
         * worst. Returns the index of the first item not taken.
         */
        private int fill(float[] s, int first, int length, boolean keepCandidates) {
            int i = 0;
            for (; i < length && size < n; i++) {
                if (s[i] != Float.NEGATIVE_INFINITY) {
                    add(first + i, s[i]);
                    if (keepCandidates) {
                        addCandidate(first + i, s[i], Float.NEGATIVE_INFINITY);
                    }
                }
            }
            return i;
        }

        /** Offers items {@code first..first+length-1} with their scores in {@code s[0..length-1]}. */
        void offer(float[] s, int first, int length) {
            if (n == 0) {
                return;
            }
            int i = fill(s, first, length, false);
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

        /** The i-th kept row in no particular order: for readers that need the set, not the order (no sort). */
        public int rowUnordered(int i) {
            return rows[i];
        }

        /** The score of {@link #rowUnordered}{@code (i)}. */
        public float scoreUnordered(int i) {
            return scores[i];
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
