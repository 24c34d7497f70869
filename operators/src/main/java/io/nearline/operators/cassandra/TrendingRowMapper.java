package io.nearline.operators.cassandra;

import io.nearline.schemas.result.TrendingRow;

import java.util.ArrayList;
import java.util.List;

/** Rows of the {@code trending} table: one per region, the newest window. */
public final class TrendingRowMapper implements CassandraRowMapper<TrendingRow> {

    private static final List<String> COLUMNS = List.of("region", "titles", "counts", "window_end");

    @Override
    public String table() {
        return "trending";
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
    public Object[] values(TrendingRow row) {
        return new Object[] {row.getRegion(), new ArrayList<>(row.getTitles()), new ArrayList<>(row.getCounts()),
            row.getWindowEnd()};
    }

    /**
     * Written at the window's end (event time), not at the time of computation: a newer window wins whatever
     * order writes arrive in, so a late retry, or an older window recomputed by a replay after a restore, never
     * overwrites it. A window is emitted once per run, and a replay recomputes it from the same plays, so rows that
     * share a write time are the same row (short of plays that were late in one run and not in the other).
     */
    @Override
    public boolean usesWriteTime() {
        return true;
    }

    @Override
    public long writeTimeMicros(TrendingRow row) {
        return CassandraRowMapper.micros(row.getWindowEnd());
    }
}
