package io.nearline.operators.neighbours;

import java.util.Arrays;

/**
 * The best n (row, score) pairs offered, best first; ties keep the lower row first. For small n (a row of titles, a
 * title's neighbours): a sorted array, most offers falling below the n-th and leaving at once. Reusable: one
 * instance per thread.
 */
public final class BestRows {

    private int[] rows = new int[0];
    private float[] scores = new float[0];
    private int size;
    private int n;

    /** Empties it, to keep the best {@code n} from now on. */
    public void reset(int n) {
        if (rows.length < n) {
            rows = new int[n];
            scores = new float[n];
        }
        this.n = n;
        size = 0;
    }

    public void offer(int row, float score) {
        if (n == 0 || (size == n && !better(row, score, rows[n - 1], scores[n - 1]))) {
            return;
        }
        int i = size < n ? size++ : n - 1;
        while (i > 0 && better(row, score, rows[i - 1], scores[i - 1])) {
            rows[i] = rows[i - 1];
            scores[i] = scores[i - 1];
            i--;
        }
        rows[i] = row;
        scores[i] = score;
    }

    public int size() {
        return size;
    }

    public int row(int i) {
        return rows[i];
    }

    public float score(int i) {
        return scores[i];
    }

    /** The rows kept, best first: a copy. */
    public int[] rows() {
        return Arrays.copyOf(rows, size);
    }

    /** Their scores: a copy. */
    public float[] scores() {
        return Arrays.copyOf(scores, size);
    }

    private static boolean better(int row, float score, int otherRow, float otherScore) {
        return score > otherScore || (score == otherScore && row < otherRow);
    }
}
