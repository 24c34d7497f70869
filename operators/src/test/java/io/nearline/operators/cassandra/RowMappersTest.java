package io.nearline.operators.cassandra;

import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Write-behind keys rows by the mappers' primary keys: they must be the first primary-key columns' values. */
class RowMappersTest {

    private static <T> List<Object> keyFromValues(CassandraRowMapper<T> mapper, T record) {
        return Arrays.asList(mapper.values(record)).subList(0, mapper.primaryKeyColumns());
    }

    @Test
    void aRecommendationRowsKeyIsItsMemberAndRowName() {
        RecommendationRow row = RecommendationRow.newBuilder().setMemberId("m1").setRowName("top-picks")
                .setTitles(List.of("t1")).setScores(List.of(1f)).setModelName("als").setModelVersion("v1")
                .setComputedAt(Instant.ofEpochMilli(2)).setNewestEventTime(Instant.ofEpochMilli(1)).build();
        RecommendationRowMapper mapper = new RecommendationRowMapper();
        assertThat(mapper.primaryKey(row)).isEqualTo(keyFromValues(mapper, row)).containsExactly("m1", "top-picks");
    }

    @Test
    void aFactorsKeyIsItsMemberAndModel() {
        MemberFactor factor = MemberFactor.newBuilder().setMemberId("m1").setModelName("als").setModelVersion("v1")
                .setFactor(List.of(0.5f)).setUpdatedAt(Instant.ofEpochMilli(3)).build();
        MemberFactorMapper mapper = new MemberFactorMapper();
        assertThat(mapper.primaryKey(factor)).isEqualTo(keyFromValues(mapper, factor)).containsExactly("m1", "als");
    }
}
