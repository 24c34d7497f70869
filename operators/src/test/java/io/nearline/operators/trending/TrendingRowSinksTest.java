package io.nearline.operators.trending;

import io.nearline.operators.cache.TrendingRowEntries;
import io.nearline.operators.cassandra.TrendingRowMapper;
import io.nearline.schemas.result.TrendingRow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How trending rows become Cassandra rows and cache entries. */
class TrendingRowSinksTest {

    private static final Instant END = Instant.parse("2026-11-21T12:05:00Z");

    private static TrendingRow row(String region, Instant windowEnd, Instant computedAt) {
        return TrendingRow.newBuilder()
                .setRegion(region)
                .setTitles(List.of("t-b", "t-a"))
                .setCounts(List.of(9L, 4L))
                .setWindowStart(windowEnd.minus(Duration.ofHours(1)))
                .setWindowEnd(windowEnd)
                .setComputedAt(computedAt)
                .build();
    }

    @Test
    void cassandraRowIsKeyedByRegionAndHoldsTheWindowEnd() {
        TrendingRowMapper mapper = new TrendingRowMapper();

        assertThat(mapper.table()).isEqualTo("trending");
        assertThat(mapper.columns()).containsExactly("region", "titles", "counts", "window_end");
        assertThat(mapper.partitionKeyColumns()).isEqualTo(1);
        assertThat(mapper.values(row("US", END, END.plusSeconds(1))))
                .containsExactly("US", List.of("t-b", "t-a"), List.of(9L, 4L), END);
    }

    @Test
    void anOlderWindowComputedLaterHasTheOlderWriteTime() {
        TrendingRowMapper mapper = new TrendingRowMapper();
        // A replay recomputes the older window after the newer one was written: it must not win.
        TrendingRow newer = row("US", END, END.plusSeconds(1));
        TrendingRow olderComputedLater = row("US", END.minus(Duration.ofMinutes(5)), END.plus(Duration.ofHours(1)));

        assertThat(mapper.usesWriteTime()).isTrue();
        assertThat(mapper.writeTimeMicros(newer)).isEqualTo(END.toEpochMilli() * 1000);
        assertThat(mapper.writeTimeMicros(olderComputedLater)).isLessThan(mapper.writeTimeMicros(newer));
    }

    @Test
    void cacheEntryIsTheRowUnderItsRegionKey() throws Exception {
        TrendingRowEntries entries = new TrendingRowEntries();
        TrendingRow row = row(PlaysByRegion.ALL, END, END.plusSeconds(1));

        assertThat(entries.key(row)).isEqualTo("nearline:trending:ALL");
        assertThat(entries.key(row("US", END, END))).isEqualTo("nearline:trending:US");
        assertThat(TrendingRowEntries.decode(entries.value(row))).isEqualTo(row);
    }
}
