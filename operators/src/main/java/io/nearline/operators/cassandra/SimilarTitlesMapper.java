package io.nearline.operators.cassandra;

import io.nearline.schemas.similars.SimilarTitles;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Rows of the {@code similars} table: one per algorithm version and title; a rebuild rewrites the same rows. */
public final class SimilarTitlesMapper implements CassandraRowMapper<SimilarTitles> {

    private static final List<String> COLUMNS = List.of("algorithm", "algorithm_version", "title_id", "similar_titles",
            "scores", "built_at");

    private final Instant builtAt;

    /** {@code builtAt}: when the build that writes these rows started. */
    public SimilarTitlesMapper(Instant builtAt) {
        this.builtAt = builtAt;
    }

    @Override
    public String table() {
        return "similars";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public int partitionKeyColumns() {
        return 3;
    }

    @Override
    public Object[] values(SimilarTitles list) {
        return new Object[] {list.getAlgorithm(), list.getAlgorithmVersion(), list.getTitleId(), new ArrayList<>(list.getTitles()),
            new ArrayList<>(list.getScores()), builtAt};
    }
}
