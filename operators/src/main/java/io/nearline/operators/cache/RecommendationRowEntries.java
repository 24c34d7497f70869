package io.nearline.operators.cache;

import io.nearline.schemas.result.RecommendationRow;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Rows in the cache: key {@code nearline:<row>:<member>}, value the row in Avro single-object encoding. */
public final class RecommendationRowEntries implements CacheEntryMapper<RecommendationRow> {

    @Override
    public String key(RecommendationRow row) {
        return CacheKeys.row(row.getRowName(), row.getMemberId());
    }

    @Override
    public byte[] value(RecommendationRow row) {
        try {
            return RecommendationRow.getEncoder().encode(row).array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RecommendationRow decode(byte[] bytes) throws IOException {
        return RecommendationRow.getDecoder().decode(bytes);
    }
}
