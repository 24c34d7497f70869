package io.nearline.schemas;

import io.nearline.schemas.event.UiEvent;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The wire format of UI events: Avro single-object encoding (a two-byte marker, the writer schema's
 * 64-bit fingerprint, then the binary datum). Decoding resolves the writer schema by fingerprint among
 * every version kept in {@code io/nearline/schemas/history/} and reads it into the current
 * {@link UiEvent}, so producers on older app versions keep working without a registry server.
 *
 * <p>Decoding throws {@link org.apache.avro.message.BadHeaderException} when the bytes are not single-object
 * Avro, {@link org.apache.avro.message.MissingSchemaException} for an unknown fingerprint, and other
 * {@link IOException}s or {@link org.apache.avro.AvroRuntimeException}s for a damaged datum. Instances are
 * thread-safe.
 */
public final class UiEventCodec {

    static {
        AvroLimits.apply(); // before the first decode: forged lengths fail instead of allocating
    }

    private static final List<Schema> OLDER_VERSIONS = SchemaHistory.older("ui-event");

    private final BinaryMessageEncoder<UiEvent> encoder = new BinaryMessageEncoder<>(SpecificData.get(), UiEvent.SCHEMA$);
    private final BinaryMessageDecoder<UiEvent> decoder;

    public UiEventCodec() {
        SchemaStore.Cache store = new SchemaStore.Cache();
        OLDER_VERSIONS.forEach(store::addSchema);
        decoder = new BinaryMessageDecoder<>(SpecificData.get(), UiEvent.SCHEMA$, store);
    }

    /** Every schema version this codec reads, oldest first; the last is the current {@link UiEvent#SCHEMA$}. */
    public static List<Schema> knownVersions() {
        List<Schema> all = new ArrayList<>(OLDER_VERSIONS);
        all.add(UiEvent.SCHEMA$);
        return Collections.unmodifiableList(all);
    }

    public byte[] encode(UiEvent event) {
        try {
            return encoder.encode(event).array();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode event " + event.getEventId(), e);
        }
    }

    public UiEvent decode(byte[] bytes) throws IOException {
        return decoder.decode(bytes);
    }
}
