package io.nearline.operators.models;

import io.nearline.operators.neighbours.TitleNeighbours;
import io.nearline.operators.als.FactorRows;
import io.nearline.schemas.model.ModelMetadata;

import java.util.List;

/**
 * A loaded model: its metadata, item ids and item factors in one row-major array (row i is item i), with an
 * index from item id to row, and each title's neighbours. Immutable once built; shared by every task of a TaskManager.
 */
public final class ModelArtifact {

    private final ModelMetadata metadata;
    private final String[] itemIds;
    private final float[][] vectors;
    private final TitleIndex rows;
    private final double[] gram;
    private final io.nearline.operators.als.ScoringLayout scoringLayout;
    private final TitleNeighbours neighbours;
    private final int[] popularRows;

    /** A model without a neighbour table: the ranker's item-to-item score is zero with it. */
    public ModelArtifact(ModelMetadata metadata, String[] itemIds, float[] factors) {
        this(metadata, itemIds, factors, TitleNeighbours.none());
    }

    /** @param neighbours by this model's rows, or {@link TitleNeighbours#none()} */
    public ModelArtifact(ModelMetadata metadata, String[] itemIds, float[] factors, TitleNeighbours neighbours) {
        int rank = metadata.getRank();
        if (factors.length != itemIds.length * rank) {
            throw new IllegalArgumentException(itemIds.length + " items of rank " + rank + " need "
                    + itemIds.length * rank + " factors, not " + factors.length);
        }
        if (!neighbours.isEmpty() && neighbours.titles() != itemIds.length) {
            throw new IllegalArgumentException("a neighbour table of " + neighbours.titles() + " titles for "
                    + itemIds.length + " items");
        }
        this.metadata = metadata;
        this.itemIds = itemIds;
        this.neighbours = neighbours;
        this.vectors = io.nearline.operators.als.FactorRows.vectors(factors, itemIds.length, rank);
        if (metadata.getGram().size() != rank * rank) {
            throw new IllegalArgumentException("Gram matrix of " + metadata.getGram().size() + " values for rank " + rank);
        }
        this.gram = new double[rank * rank];
        for (int i = 0; i < gram.length; i++) {
            gram[i] = metadata.getGram().get(i);
        }
        // Scoring reads factors in its own layout (see TopN); one copy at load saves a transpose per member.
        this.scoringLayout = io.nearline.operators.als.ScoringLayout.of(vectors, rank);
        // Models load off the task threads: compile the kernels here, before a member needs them.
        io.nearline.operators.als.KernelWarmUp.warm(rank, neighbours.isEmpty());
        this.rows = new TitleIndex(itemIds);
        this.popularRows = metadata.getPopular().stream().mapToInt(rows::row).filter(row -> row >= 0).toArray();
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public int rank() {
        return metadata.getRank();
    }

    public int numItems() {
        return itemIds.length;
    }

    public String itemId(int row) {
        return itemIds[row];
    }

    /** The row of an item, or -1 if the model does not know it. */
    public int row(String itemId) {
        return rows.row(itemId);
    }

    /** All factors, row-major: a new copy. */
    public float[] factors() {
        return io.nearline.operators.als.FactorRows.flatten(vectors, rank());
    }

    /** The factors of each item (row), as the solver reads them; do not modify. */
    public float[][] vectors() {
        return vectors;
    }

    /** Y^T Y, rank x rank, row-major; do not modify. */
    public double[] gram() {
        return gram;
    }

    /** Factors laid out for scoring every title ({@link io.nearline.operators.als.TopN}). */
    public io.nearline.operators.als.ScoringLayout scoringFactors() {
        return scoringLayout;
    }

    /** Each title's nearest titles, by row (empty for models trained without them). */
    public TitleNeighbours neighbours() {
        return neighbours;
    }

    public String name() {
        return metadata.getName();
    }

    public String version() {
        return metadata.getVersion();
    }

    public List<String> popular() {
        return metadata.getPopular();
    }

    /** The rows of {@link #popular()}'s titles that the model has, most popular first; do not modify. */
    public int[] popularRows() {
        return popularRows;
    }
}
