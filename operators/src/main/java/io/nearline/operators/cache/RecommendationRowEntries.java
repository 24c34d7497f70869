package io.nearline.operators.cache;

import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.RecommendationRowCodec;
import io.nearline.schemas.result.RecommendationRow;

import java.io.IOException;

/**
 * Rows in the cache: key {@code nearline:<row>:<member>}, value the row in Avro single-object encoding (read from
 * every kept schema version, {@link RecommendationRowCodec}).
 */
public final class RecommendationRowEntries implements CacheEntryMapper<RecommendationRow> {

    @Override
    public String key(RecommendationRow row) {
        return CacheKeys.row(row.getRowName(), row.getMemberId());
    }

    @Override
    public byte[] value(RecommendationRow row) {
        return RecommendationRowCodec.encode(row);
    }

    public static RecommendationRow decode(byte[] bytes) throws IOException {
        return RecommendationRowCodec.decode(bytes);
    }
}
