package io.nearline.sinks;

import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Instant;
import java.util.List;

/** The i-th update of a stream of recommendation rows for {@code members} members; later updates are newer. */
final class RowGenerator implements GeneratorFunction<Long, RecommendationRow> {

    static final Instant BASE = Instant.parse("2026-11-21T00:00:00Z");

    private final int members;

    RowGenerator(int members) {
        this.members = members;
    }

    @Override
    public RecommendationRow map(Long index) {
        return row(index, members);
    }

    static RecommendationRow row(long i, int members) {
        Instant time = BASE.plusMillis(i);
        return RecommendationRow.newBuilder()
                .setMemberId("m" + (i % members))
                .setRowName("top-picks")
                .setTitles(List.of("t" + i, "t" + (i + 1)))
                .setScores(List.of(1.0f, 0.5f))
                .setModelName("als")
                .setModelVersion("v" + (i / 1000))
                .setComputedAt(time)
                .setNewestEventTime(time.minusMillis(5))
                .build();
    }

    /** The last row written for member {@code m} in {@code count} updates. */
    static RecommendationRow finalRow(int m, long count, int members) {
        long last = ((count - 1 - m) / members) * members + m;
        return row(last, members);
    }
}
