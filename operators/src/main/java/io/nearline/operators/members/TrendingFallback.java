package io.nearline.operators.members;

import io.nearline.operators.trending.PlaysByRegion;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.state.BroadcastState;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The newest Trending Now row of each region (a mirror of broadcast state): top picks for members with little history. */
final class TrendingFallback {

    private final Map<String, TrendingRow> byRegion = new HashMap<>();

    void restore(Iterable<Map.Entry<String, TrendingRow>> entries) {
        for (Map.Entry<String, TrendingRow> entry : entries) {
            byRegion.put(entry.getKey(), entry.getValue());
        }
    }

    void update(TrendingRow row, BroadcastState<String, TrendingRow> state) throws Exception {
        TrendingRow current = byRegion.get(row.getRegion());
        // Rows of all windows arrive in order per region, but never let an older window replace a newer one.
        if (current == null || !current.getWindowEnd().isAfter(row.getWindowEnd())) {
            state.put(row.getRegion(), row);
            byRegion.put(row.getRegion(), row);
        }
    }

    /** The newest trending row of the member's region, else of all regions; null when there is none with titles. */
    TrendingRow rowFor(String country) {
        TrendingRow row = country == null ? null : byRegion.get(country.trim().toUpperCase(Locale.ROOT));
        if (row == null || row.getTitles().isEmpty()) {
            row = byRegion.get(PlaysByRegion.ALL);
        }
        return row == null || row.getTitles().isEmpty() ? null : row;
    }
}
