package io.nearline.schemas;

import io.nearline.schemas.result.RecommendationRow;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;

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

    /** One writer per thread: the member operator encodes every row it emits. */
    private static final ThreadLocal<RecommendationRowWriter> WRITER = ThreadLocal.withInitial(RecommendationRowWriter::new);

    /** The row in Avro single-object encoding, as {@code RecommendationRow.getEncoder()} writes it. */
    public static byte[] encode(RecommendationRow row) {
        return WRITER.get().write(row);
    }

    public static RecommendationRow decode(byte[] bytes) throws IOException {
        return DECODER.decode(bytes);
    }
}
