package io.nearline.operators.cassandra;

import io.nearline.schemas.result.RecommendationRow;

import java.util.ArrayList;
import java.util.List;

/** Rows of the {@code recommendations} table. */
public final class RecommendationRowMapper implements CassandraRowMapper<RecommendationRow> {

    private static final List<String> COLUMNS = List.of("member_id", "row_name", "titles", "scores", "model_name",
            "model_version", "computed_at", "newest_event_time", "anchor_title");

    @Override
    public String table() {
        return "recommendations";
    }

    @Override
    public List<String> columns() {
        return COLUMNS;
    }

    @Override
    public int partitionKeyColumns() {
        return 1;
    }

    @Override
    public int primaryKeyColumns() {
        return 2;
    }

    @Override
    public List<Object> primaryKey(RecommendationRow row) {
        return List.of(row.getMemberId(), row.getRowName());
    }

    @Override
    public Object[] values(RecommendationRow row) {
        return new Object[] {row.getMemberId(), row.getRowName(), new ArrayList<>(row.getTitles()),
            new ArrayList<>(row.getScores()), row.getModelName(), row.getModelVersion(), row.getComputedAt(),
            row.getNewestEventTime(), row.getAnchorTitle()};
    }

    /** Newer computations win, whatever order their writes arrive in. */
    @Override
    public boolean usesWriteTime() {
        return true;
    }

    @Override
    public long writeTimeMicros(RecommendationRow row) {
        return CassandraRowMapper.micros(row.getComputedAt());
    }
}
