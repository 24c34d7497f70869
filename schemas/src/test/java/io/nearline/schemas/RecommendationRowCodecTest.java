package io.nearline.schemas;

import io.nearline.schemas.result.RecommendationRow;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationRowCodecTest {

    @Test
    void aRowRoundTripsWithItsAnchor() throws Exception {
        RecommendationRow row = row().setAnchorTitle("t9").build();

        assertThat(RecommendationRowCodec.decode(RecommendationRowCodec.encode(row))).isEqualTo(row);
    }

    @Test
    void aRowTheCacheGotFromTheVersionBeforeAnchorsStillReads() throws Exception {
        Schema v1;
        try (InputStream in = getClass().getResourceAsStream("/io/nearline/schemas/history/recommendation-row-v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        assertThat(v1.getField("anchorTitle")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("memberId", "m1");
        old.put("rowName", "top-picks");
        old.put("titles", List.of("t1", "t2"));
        old.put("scores", List.of(1f, 0.5f));
        old.put("modelName", "als");
        old.put("modelVersion", "v1");
        old.put("computedAt", 1_700_000_000_000L);
        old.put("newestEventTime", 1_700_000_000_000L);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old).array();

        RecommendationRow read = RecommendationRowCodec.decode(bytes);

        assertThat(read).isEqualTo(row().build());
        assertThat(read.getAnchorTitle()).isNull();
    }

    private static RecommendationRow.Builder row() {
        return RecommendationRow.newBuilder().setMemberId("m1").setRowName("top-picks").setTitles(List.of("t1", "t2"))
                .setScores(List.of(1f, 0.5f)).setModelName("als").setModelVersion("v1")
                .setComputedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setNewestEventTime(Instant.ofEpochMilli(1_700_000_000_000L));
    }
}
