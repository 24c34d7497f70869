package io.nearline.operators.similars;

import java.util.Arrays;

/**
 * Scored candidates of one title, cut to the best {@code length}: highest score first, ties by title number,
 * so the same input always gives the same list. Reused across titles by one task.
 */
final class RankedCandidates {

    private long[] packed = new long[1024];
    private int size;

    void clear() {
        size = 0;
    }

    void add(int title, float score) {
        if (size == packed.length) {
            packed = Arrays.copyOf(packed, size * 2);
        }
        // Descending score, then ascending title, in one sort of longs: the score's bits are flipped so a higher
        // score sorts first (scores are positive, so their bit patterns order like the numbers).
        packed[size++] = ((long) (~Float.floatToIntBits(score) & 0x7fffffff) << 32) | title;
    }

    SimilarList top(int title, int length) {
        Arrays.sort(packed, 0, size);
        int n = Math.min(length, size);
        int[] titles = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            titles[i] = (int) packed[i];
            scores[i] = Float.intBitsToFloat(~(int) (packed[i] >>> 32) & 0x7fffffff);
        }
        return new SimilarList(title, titles, scores);
    }
}
