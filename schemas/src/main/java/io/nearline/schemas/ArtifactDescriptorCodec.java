package io.nearline.schemas;

import io.nearline.schemas.model.ArtifactDescriptor;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;

/**
 * Descriptors as the {@code published} topic holds them: Avro single-object encoding, read from every schema version
 * kept in the history, so that a topic written before a new {@code ArtifactKind} stays readable. Thread-safe.
 */
public final class ArtifactDescriptorCodec {

    private static final BinaryMessageDecoder<ArtifactDescriptor> DECODER;

    static {
        AvroLimits.apply();
        SchemaStore.Cache store = new SchemaStore.Cache();
        SchemaHistory.older("artifact-descriptor").forEach(store::addSchema);
        DECODER = new BinaryMessageDecoder<>(SpecificData.get(), ArtifactDescriptor.SCHEMA$, store);
    }

    private ArtifactDescriptorCodec() {}

    public static byte[] encode(ArtifactDescriptor descriptor) {
        try {
            return ArtifactDescriptor.getEncoder().encode(descriptor).array();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not encode descriptor " + descriptor.getName(), e);
        }
    }

    public static ArtifactDescriptor decode(byte[] bytes) throws IOException {
        return DECODER.decode(bytes);
    }
}
