package io.nearline.operators.cache;

import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.result.TrendingRow;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Trending rows in the cache: key {@code nearline:trending:<region>} (region {@code ALL} for every country),
 * value the row in Avro single-object encoding. The job emits a region's windows in order of window end, so
 * the cache holds the newest window (a replay after a restore passes through older ones again on its way).
 */
public final class TrendingRowEntries implements CacheEntryMapper<TrendingRow> {

    @Override
    public String key(TrendingRow row) {
        return CacheKeys.trending(row.getRegion());
    }

    @Override
    public byte[] value(TrendingRow row) {
        try {
            return TrendingRow.getEncoder().encode(row).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrendingRow decode(byte[] bytes) throws IOException {
        return TrendingRow.getDecoder().decode(bytes);
    }
}
