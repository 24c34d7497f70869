package io.nearline.schemas;

import io.nearline.schemas.model.ModelMetadata;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The header of a model artifact: Avro single-object encoding, read from every schema version kept in the history,
 * so that artifacts written before a new {@code ArtifactKind} stay readable. Thread-safe.
 */
public final class ModelMetadataCodec {

    private static final BinaryMessageDecoder<ModelMetadata> DECODER;

    static {
        AvroLimits.apply();
        SchemaStore.Cache store = new SchemaStore.Cache();
        SchemaHistory.older("model-metadata").forEach(store::addSchema);
        DECODER = new BinaryMessageDecoder<>(SpecificData.get(), ModelMetadata.SCHEMA$, store);
    }

    private ModelMetadataCodec() {}

    public static ModelMetadata decode(ByteBuffer bytes) throws IOException {
        return DECODER.decode(bytes);
    }
}
