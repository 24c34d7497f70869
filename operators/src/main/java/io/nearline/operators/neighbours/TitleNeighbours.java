package io.nearline.operators.neighbours;

import java.util.Arrays;

/**
 * Each title's nearest titles with their scores, by model row: the item-to-item half of the ranker. Trained
 * offline with the model ({@link NeighbourTraining}) and shipped in its artifact, so a row here is a row of that
 * model. Stored as compressed rows (offsets into one array of neighbours), best first within a title. Immutable.
 */
public final class TitleNeighbours {

    private static final TitleNeighbours NONE = new TitleNeighbours(new int[] {0}, new int[0], new float[0]);

    private final int[] offsets;
    private final int[] rows;
    private final float[] scores;

    /**
     * @param offsets title t's neighbours are at {@code [offsets[t], offsets[t + 1])}; one more entry than titles
     * @throws IllegalArgumentException when the arrays do not make a table: offsets not rising, a neighbour row out
     *     of range, a score not finite
     */
    public TitleNeighbours(int[] offsets, int[] rows, float[] scores) {
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != rows.length || rows.length != scores.length) {
            throw new IllegalArgumentException("neighbour offsets do not cover the " + rows.length + " neighbours");
        }
        int titles = offsets.length - 1;
        for (int t = 0; t < titles; t++) {
            if (offsets[t + 1] < offsets[t]) {
                throw new IllegalArgumentException("neighbour offsets fall at title row " + t);
            }
        }
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || (titles > 0 && rows[i] >= titles)) {
                throw new IllegalArgumentException("neighbour row " + rows[i] + " is not one of the " + titles + " titles");
            }
            if (!Float.isFinite(scores[i])) {
                throw new IllegalArgumentException("a neighbour score is not finite");
            }
        }
        this.offsets = offsets;
        this.rows = rows;
        this.scores = scores;
    }

    /** No neighbours for any title: the ranker's item-to-item score is then zero (models from before it). */
    public static TitleNeighbours none() {
        return NONE;
    }

    /** Titles the table has rows for: the model's titles, or 0 for {@link #none()}. */
    public int titles() {
        return offsets.length - 1;
    }

    /** Neighbours of all titles together. */
    public int size() {
        return rows.length;
    }

    public boolean isEmpty() {
        return rows.length == 0;
    }

    /** Index of the first neighbour of a title; its neighbours run to {@link #end}. */
    public int start(int title) {
        return title < titles() ? offsets[title] : 0;
    }

    public int end(int title) {
        return title < titles() ? offsets[title + 1] : 0;
    }

    /** The model row of the neighbour at an index between {@link #start} and {@link #end}. */
    public int row(int index) {
        return rows[index];
    }

    public float score(int index) {
        return scores[index];
    }

    /** A title's neighbour rows, best first: a copy. */
    public int[] rowsOf(int title) {
        return Arrays.copyOfRange(rows, start(title), end(title));
    }

    /** A title's neighbour scores, best first: a copy. */
    public float[] scoresOf(int title) {
        return Arrays.copyOfRange(scores, start(title), end(title));
    }
}
