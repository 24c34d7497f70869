package io.nearline.operators.similars;

/** Set arithmetic on sorted int arrays of facet values. */
final class Overlap {

    private Overlap() {}

    static int count(int[] a, int[] b) {
        int i = 0;
        int j = 0;
        int shared = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                shared++;
                i++;
                j++;
            }
        }
        return shared;
    }

    /** |a ∩ b| / |a ∪ b|, 0 when both are empty. */
    static double jaccard(int[] a, int[] b) {
        if (a.length == 0 || b.length == 0) {
            return 0;
        }
        int shared = count(a, b);
        return shared == 0 ? 0 : (double) shared / (a.length + b.length - shared);
    }
}
