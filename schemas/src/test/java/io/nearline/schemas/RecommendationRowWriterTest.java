package io.nearline.schemas;

import io.nearline.schemas.result.RecommendationRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RecommendationRowWriterTest {

    private final RecommendationRowWriter writer = new RecommendationRowWriter();

    @Test
    void writesTheBytesAvrosEncoderWritesForEveryKindOfRow() throws Exception {
        Random random = new Random(11);
        List<RecommendationRow> rows = new ArrayList<>(List.of(
                row("m1", "top-picks", List.of(), List.of(), null, 0L),
                row("", "", List.of(""), List.of(0f), "", -1L),
                row("membre-é", "because-you-watched:1", List.of("Amélie", "東京物語", "\uD83C\uDFAC"),
                        List.of(Float.NaN, -0f, Float.MAX_VALUE), "t-é", Long.MIN_VALUE / 1000),
                row("m2", "top-picks", List.of("t1"), List.of(1f), "t0", Long.MAX_VALUE / 1000)));
        for (int i = 0; i < 200; i++) {
            int n = random.nextInt(60);
            List<String> titles = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                titles.add("t-" + random.nextInt(1 << random.nextInt(31)));
                scores.add(random.nextFloat() * 4 - 2);
            }
            rows.add(row("member-" + random.nextInt(), "because-you-watched:" + random.nextInt(9), titles, scores,
                    random.nextBoolean() ? null : "t-" + random.nextInt(), random.nextLong() >> random.nextInt(64)));
        }
        for (RecommendationRow row : rows) {
            byte[] ours = writer.write(row);
            assertThat(ours).as("%s", row).isEqualTo(RecommendationRow.getEncoder().encode(row).array());
            assertThat(RecommendationRowCodec.decode(ours)).isEqualTo(row);
        }
    }

    private static RecommendationRow row(String member, String name, List<String> titles, List<Float> scores,
            String anchor, long millis) {
        return RecommendationRow.newBuilder().setMemberId(member).setRowName(name).setTitles(titles).setScores(scores)
                .setModelName("als").setModelVersion("v" + millis).setComputedAt(Instant.ofEpochMilli(millis))
                .setNewestEventTime(Instant.ofEpochMilli(millis / 2)).setAnchorTitle(anchor).build();
    }
}
