package io.nearline.operators.cassandra;

import io.nearline.schemas.result.MemberFactor;

import java.util.ArrayList;
import java.util.List;

/** Rows of the {@code member_factors} table. */
public final class MemberFactorMapper implements CassandraRowMapper<MemberFactor> {

    private static final List<String> COLUMNS = List.of("member_id", "model_name", "model_version", "factor", "updated_at",
            "watched", "watched_weights");

    @Override
    public String table() {
        return "member_factors";
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
    public List<Object> primaryKey(MemberFactor factor) {
        return List.of(factor.getMemberId(), factor.getModelName());
    }

    @Override
    public Object[] values(MemberFactor factor) {
        return new Object[] {factor.getMemberId(), factor.getModelName(), factor.getModelVersion(),
            new ArrayList<>(factor.getFactor()), factor.getUpdatedAt(), new ArrayList<>(factor.getWatched()),
            new ArrayList<>(factor.getWatchedWeights())};
    }

    /** Newer computations win, whatever order their writes arrive in. */
    @Override
    public boolean usesWriteTime() {
        return true;
    }

    @Override
    public long writeTimeMicros(MemberFactor factor) {
        return CassandraRowMapper.micros(factor.getUpdatedAt());
    }
}
