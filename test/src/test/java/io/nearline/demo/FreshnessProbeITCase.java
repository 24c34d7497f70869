package io.nearline.demo;

import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.demo.FreshnessProbe;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The freshness probe against a real memcached: every probed play counts, overtaken ones and misses too. */
@RealServices(Service.MEMCACHED)
class FreshnessProbeITCase {

    @Test
    void everyPlayCountsTheOvertakenOnesAtTheirFirstReadAndTheUnseenOnesAsMisses(TestServices services) throws Exception {
        long now = System.currentTimeMillis();
        String run = "probe-" + now + "-";
        try (FreshnessProbe probe = new FreshnessProbe(List.of(services.endpoints().memcachedAddress()), (member, row) -> { })) {
            probe.sent(run + "a", now - 3_000);
            probe.sent(run + "a", now - 2_000); // overtakes the first before any row showed it
            probe.sent(run + "b", now - 1_000);
            probe.sent(run + "c", now - 1_000);
            assertThat(probe.pending()).isEqualTo(4);

            put(services, run + "a", now - 2_000); // includes both of a's plays
            put(services, run + "b", now - 1_500); // older than b's play: does not include it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (probe.pending() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(probe.pending()).isEqualTo(2);
            assertThat(probe.seenBy(System.currentTimeMillis())).as("seen in the cache by now").isEqualTo(2);
            assertThat(probe.seenBy(now - 1)).as("seen before the rows were written").isZero();
            assertThat(probe.samples()).hasSize(2).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(2_000));
            assertThat(probe.finish()).isEqualTo(2);
            assertThat(probe.misses()).isEqualTo(2);
            assertThat(probe.seenBy(System.currentTimeMillis())).as("misses were never seen").isEqualTo(2);
            assertThat(probe.samples()).hasSize(4).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(1_000));
        }
    }

    private static void put(TestServices services, String member, long newestEventTime) throws Exception {
        RecommendationRow row = RecommendationRow.newBuilder().setMemberId(member).setRowName("top-picks")
                .setTitles(List.of("t1")).setScores(List.of(1f)).setModelName("als").setModelVersion("v1")
                .setComputedAt(Instant.now()).setNewestEventTime(Instant.ofEpochMilli(newestEventTime)).build();
        services.memcached().set(CacheKeys.row("top-picks", member), 300, RecommendationRow.getEncoder().encode(row).array());
    }
}
