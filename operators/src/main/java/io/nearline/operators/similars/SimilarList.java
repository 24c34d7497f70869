package io.nearline.operators.similars;

/** The similar titles of one title under one algorithm, as catalog numbers, best first, with their scores. */
public record SimilarList(int title, int[] titles, float[] scores) {

    public int size() {
        return titles.length;
    }
}
