package io.nearline.sinks;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.MemcachedSink;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.operators.cassandra.RecommendationRowMapper;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.CqlSchema;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.testing.MiniClusters;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The sinks under real outages: Cassandra stopped for 30 seconds, memcached stopped and brought back. */
@RealServices({Service.CASSANDRA, Service.MEMCACHED})
@Tag("slow")
class SinkFaultsITCase {

    private static final int MEMBERS = 100;

    private MiniCluster cluster;

    @AfterEach
    void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void cassandraOutageOfThirtySecondsEndsWithTheExactFinalRowForEveryMember(TestServices services,
            ServicesScript script) throws Exception {
        CqlSchema.statements(services.keyspace(), "{'class': 'SimpleStrategy', 'replication_factor': 1}", Map.of())
                .forEach(services.cqlSession()::execute);
        Configuration config = new Configuration();
        config.set(CassandraOptions.CONTACT_POINTS, List.of(services.endpoints().cassandraHostPort()));
        config.set(CassandraOptions.KEYSPACE, services.keyspace());
        config.set(CassandraOptions.MAX_RETRIES, 5);
        config.set(CassandraOptions.RETRY_MAX_DELAY, Duration.ofSeconds(2));
        long count = 12_000;
        JobClient job = start(CassandraSink.of(new RecommendationRowMapper(), config), count, 250, 100);

        Thread.sleep(10_000);
        script.down(List.of(Service.CASSANDRA)).requireSuccess();
        Thread.sleep(30_000);
        script.up(List.of(Service.CASSANDRA)).requireSuccess();
        JobStatus end = job.getJobExecutionResult().thenApply(r -> JobStatus.FINISHED).get(5, TimeUnit.MINUTES);

        assertThat(end).isEqualTo(JobStatus.FINISHED);
        Map<String, Row> rows = new HashMap<>();
        var session = services.keyspaceSession();
        for (Row row : session.execute("SELECT member_id, titles, model_version, computed_at FROM recommendations")) {
            rows.put(row.getString("member_id"), row);
        }
        assertThat(rows).hasSize(MEMBERS);
        for (int m = 0; m < MEMBERS; m++) {
            RecommendationRow expected = RowGenerator.finalRow(m, count, MEMBERS);
            Row actual = rows.get("m" + m);
            assertThat(actual.getList("titles", String.class)).as("titles of m%d", m).isEqualTo(expected.getTitles());
            assertThat(actual.getString("model_version")).isEqualTo(expected.getModelVersion());
            assertThat(actual.getInstant("computed_at")).isEqualTo(expected.getComputedAt());
        }
    }

    @Test
    void memcachedOutageNeitherFailsNorStallsTheJobAndUpdatesResumeAfterIt(TestServices services,
            ServicesScript script) throws Exception {
        Configuration config = new Configuration();
        config.set(CacheOptions.SERVERS, List.of(services.endpoints().memcachedAddress()));
        long count = 8_000;
        long rate = 200;
        JobClient job = start(MemcachedSink.of(new RecommendationRowEntries(), config), count, rate, 0);

        Thread.sleep(8_000);
        script.down(List.of(Service.MEMCACHED)).requireSuccess();
        Thread.sleep(10_000);
        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        script.up(List.of(Service.MEMCACHED)).requireSuccess();
        // With restart strategy "none", any failure caused by the outage would fail the job here.
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

        var client = services.memcached();
        for (int m = 0; m < MEMBERS; m++) {
            RecommendationRow expected = RowGenerator.finalRow(m, count, MEMBERS);
            byte[] cached = client.get(CacheKeys.row("top-picks", "m" + m));
            assertThat(cached).as("cached row of m%d", m).isNotNull();
            assertThat(RecommendationRowEntries.decode(cached)).isEqualTo(expected);
        }
    }

    /** Runs a rate-limited stream of row updates into the sink; restarts (if any) from checkpoints. */
    private JobClient start(Sink<RecommendationRow> sink, long count, long perSecond, int restartAttempts)
            throws Exception {
        cluster = MiniClusters.start(new Configuration(), 2);
        Configuration jobConfig = new Configuration();
        if (restartAttempts > 0) {
            jobConfig.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            jobConfig.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
            jobConfig.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
        } else {
            jobConfig.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        }
        TestStreamEnvironment env = MiniClusters.environment(cluster, jobConfig, 2);
        env.enableCheckpointing(1_000);
        DataGeneratorSource<RecommendationRow> source = new DataGeneratorSource<>(new RowGenerator(MEMBERS), count,
                RateLimiterStrategy.perSecond(perSecond), TypeInformation.of(RecommendationRow.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "row updates")
                .setParallelism(1)
                .sinkTo(sink)
                .name("sink under test");
        return env.executeAsync("sink faults");
    }
}
