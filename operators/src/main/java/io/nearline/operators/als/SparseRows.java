package io.nearline.operators.als;

/**
 * Weighted interactions grouped by row (compressed sparse rows): the interactions of row r are entries
 * {@code start(r)} to {@code end(r) - 1}. Training keeps one by member and its transpose by item.
 */
public final class SparseRows {

    private final int numRows;
    private final int numColumns;
    private final int[] starts;
    private final int[] columns;
    private final float[] weights;

    private SparseRows(int numRows, int numColumns, int[] starts, int[] columns, float[] weights) {
        this.numRows = numRows;
        this.numColumns = numColumns;
        this.starts = starts;
        this.columns = columns;
        this.weights = weights;
    }

    /** Groups (row, column, weight) triples, which must hold at most one entry per row and column. */
    public static SparseRows of(int numRows, int numColumns, int[] rowOf, int[] columnOf, float[] weightOf, int count) {
        int[] starts = new int[numRows + 1];
        for (int n = 0; n < count; n++) {
            starts[rowOf[n] + 1]++;
        }
        for (int r = 0; r < numRows; r++) {
            starts[r + 1] += starts[r];
        }
        int[] next = starts.clone();
        int[] columns = new int[count];
        float[] weights = new float[count];
        for (int n = 0; n < count; n++) {
            int at = next[rowOf[n]]++;
            columns[at] = columnOf[n];
            weights[at] = weightOf[n];
        }
        return new SparseRows(numRows, numColumns, starts, columns, weights);
    }

    public SparseRows transpose() {
        int count = columns.length;
        int[] rowOf = new int[count];
        for (int r = 0; r < numRows; r++) {
            for (int n = starts[r]; n < starts[r + 1]; n++) {
                rowOf[n] = r;
            }
        }
        return of(numColumns, numRows, columns, rowOf, weights, count);
    }

    public int numRows() {
        return numRows;
    }

    public int numColumns() {
        return numColumns;
    }

    public int start(int row) {
        return starts[row];
    }

    public int end(int row) {
        return starts[row + 1];
    }

    public int column(int entry) {
        return columns[entry];
    }

    public float weight(int entry) {
        return weights[entry];
    }

    public int size() {
        return columns.length;
    }
}
