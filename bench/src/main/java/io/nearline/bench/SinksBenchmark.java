package io.nearline.bench;

import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.MemcachedSink;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.operators.cassandra.RecommendationRowMapper;
import io.nearline.schemas.CqlSchema;
import io.nearline.schemas.result.RecommendationRow;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Write throughput through the real sinks: a local Flink job writes generated recommendation rows (ten
 * titles each) into Cassandra and, separately, into memcached, and the job's net run time gives rows/s.
 */
final class SinksBenchmark {

    static final String KEYSPACE = "nearline_bench";

    private SinksBenchmark() {}

    static double cassandraRowsPerSecond(String contactPoint, long rows, int parallelism) throws Exception {
        Configuration config = new Configuration();
        config.set(CassandraOptions.CONTACT_POINTS, List.of(contactPoint));
        config.set(CassandraOptions.KEYSPACE, KEYSPACE);
        config.set(CassandraOptions.CONSISTENCY, "LOCAL_ONE");
        try (var session = io.nearline.operators.cassandra.CassandraConnection.from(config).open(false)) {
            for (String statement : CqlSchema.statements(KEYSPACE, config.get(CassandraOptions.REPLICATION), Map.of())) {
                session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(statement)
                        .setTimeout(java.time.Duration.ofSeconds(60)));
            }
        }
        return rowsPerSecond(CassandraSink.of(new RecommendationRowMapper(), config), rows, parallelism);
    }

    static double cacheSetsPerSecond(String server, long rows, int parallelism) throws Exception {
        Configuration config = new Configuration();
        config.set(CacheOptions.SERVERS, List.of(server));
        return rowsPerSecond(MemcachedSink.of(new RecommendationRowEntries(), config), rows, parallelism);
    }

    private static double rowsPerSecond(Sink<RecommendationRow> sink, long rows, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        DataGeneratorSource<RecommendationRow> source =
                new DataGeneratorSource<>(new Rows(), rows, TypeInformation.of(RecommendationRow.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "rows").sinkTo(sink);
        JobExecutionResult result = env.execute("sink benchmark");
        return rows / (result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0);
    }

    /** Row i is member i's top picks: every row its own partition, as after a burst of different members. */
    static final class Rows implements GeneratorFunction<Long, RecommendationRow> {
        @Override
        public RecommendationRow map(Long i) {
            List<String> titles = new ArrayList<>(10);
            List<Float> scores = new ArrayList<>(10);
            for (int t = 0; t < 10; t++) {
                titles.add("title-" + ((i * 31 + t * 7) % 20_000));
                scores.add(1.0f / (t + 1));
            }
            Instant now = Instant.now();
            return RecommendationRow.newBuilder().setMemberId("member-" + i).setRowName("top-picks")
                    .setTitles(titles).setScores(scores).setModelName("als").setModelVersion("bench")
                    .setComputedAt(now).setNewestEventTime(now).build();
        }
    }
}
