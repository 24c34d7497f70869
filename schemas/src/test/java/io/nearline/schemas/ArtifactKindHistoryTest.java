package io.nearline.schemas;

import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.model.ModelMetadata;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The CATALOG kind changed two schemas' fingerprints: what was written before it must still read. */
class ArtifactKindHistoryTest {

    @Test
    void aDescriptorPublishedBeforeTheCatalogKindStillReads() throws Exception {
        Schema v1 = history("artifact-descriptor-v1");
        GenericRecord old = new GenericData.Record(v1);
        old.put("name", "als");
        old.put("version", "v1");
        old.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "SIMILARS"));
        old.put("uri", "s3://models/als/v1.avro");
        old.put("sha256", "ab");
        old.put("sizeBytes", 12L);
        old.put("trafficShare", 0.5);
        old.put("publishedAt", 1_700_000_000_000L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        ArtifactDescriptor read = ArtifactDescriptorCodec.decode(bytes);

        assertThat(read.getKind()).isEqualTo(ArtifactKind.SIMILARS);
        assertThat(read.getTrafficShare()).isEqualTo(0.5);
        assertThat(read.getPublishedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void aCatalogDescriptorRoundTrips() throws Exception {
        ArtifactDescriptor descriptor = ArtifactDescriptor.newBuilder().setName("catalog").setVersion("abc").setKind(ArtifactKind.CATALOG)
                .setUri("file:///tmp/catalog.jsonl").setSha256("cd").setSizeBytes(3).setPublishedAt(Instant.ofEpochMilli(5)).build();

        assertThat(ArtifactDescriptorCodec.decode(ArtifactDescriptorCodec.encode(descriptor))).isEqualTo(descriptor);
    }

    @Test
    void theHeaderOfAModelArtifactWrittenBeforeTheCatalogKindStillReads() throws Exception {
        Schema v1 = history("model-metadata-v1");
        GenericRecord old = new GenericData.Record(v1);
        old.put("name", "als");
        old.put("version", "v1");
        old.put("kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "MODEL"));
        old.put("rank", 2);
        old.put("hyperparameters", Map.of("alpha", "40"));
        old.put("trainedFrom", 1L);
        old.put("trainedUntil", 2L);
        old.put("numItems", 3);
        old.put("createdAt", 4L);
        old.put("evaluation", Map.of());
        old.put("popular", List.of("t1"));
        old.put("gram", List.of(1.0, 0.0, 0.0, 1.0));
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);

        ModelMetadata read = ModelMetadataCodec.decode(bytes);

        assertThat(read.getKind()).isEqualTo(ArtifactKind.MODEL);
        assertThat(read.getRank()).isEqualTo(2);
        assertThat(read.getPopular()).containsExactly("t1");
    }

    private Schema history(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/io/nearline/schemas/history/" + name + ".avsc")) {
            return new Schema.Parser().parse(in);
        }
    }
}
