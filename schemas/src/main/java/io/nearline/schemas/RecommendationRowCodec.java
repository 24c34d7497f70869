package io.nearline.schemas;

import io.nearline.schemas.result.RecommendationRow;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Rows as the cache holds them: Avro single-object encoding, read from every schema version kept in the history
 * (a cache filled by the previous job version stays readable after an upgrade). Thread-safe.
 */
public final class RecommendationRowCodec {

    private static final BinaryMessageDecoder<RecommendationRow> DECODER;

    static {
        SchemaStore.Cache store = new SchemaStore.Cache();
        SchemaHistory.older("recommendation-row").forEach(store::addSchema);
        DECODER = new BinaryMessageDecoder<>(SpecificData.get(), RecommendationRow.SCHEMA$, store);
    }

    private RecommendationRowCodec() {}

    public static byte[] encode(RecommendationRow row) {
        try {
            return RecommendationRow.getEncoder().encode(row).array();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode row " + row.getRowName() + " of " + row.getMemberId(), e);
        }
    }

    public static RecommendationRow decode(byte[] bytes) throws IOException {
        return DECODER.decode(bytes);
    }
}
