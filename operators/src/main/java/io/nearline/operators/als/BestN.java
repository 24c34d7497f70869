package io.nearline.operators.als;

import java.util.Arrays;

/**
 * The best n items of one member, highest score first; ties keep the lower row first. Kept as a heap with the
 * worst of the n at the root while items are offered (log n an insertion: a member whose scores rise along the
 * catalog inserts at nearly every item), sorted once when first read.
 */
public final class BestN {
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
