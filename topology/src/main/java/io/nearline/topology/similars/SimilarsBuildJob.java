package io.nearline.topology.similars;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.operators.cassandra.SimilarTitlesMapper;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.offline.Rated;
import io.nearline.operators.similars.BuildPlan;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.ShardOutcome;
import io.nearline.operators.similars.SimilarsOptions;
import io.nearline.schemas.similars.SimilarTitles;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The "more like this" build on Flink in batch execution mode. The work is the shards of the titles
 * (0 … shards − 1), spread over the parallel tasks; each task receives the members' viewing as a broadcast,
 * builds every algorithm of the plan for its shards in dependency order (see {@code ShardBuilder}), stores
 * the shard files, and emits each list for the similars table and each shard's outcome. A failed task is
 * run again by Flink's restart strategy (fixed delay, {@value #TASK_RETRIES} attempts, unless configured): shard files are deterministic and looked up before they are
 * computed, so a retry rewrites nothing that was already stored. {@link SimilarsBuild} runs the job and
 * writes the manifests.
 */
public final class SimilarsBuildJob {

    /** Restarts of failed tasks unless Flink's restart-strategy settings say otherwise. */
    public static final int TASK_RETRIES = 3;

    private SimilarsBuildJob() {}

    /**
     * The job graph; returns the outcome of every algorithm in every shard.
     *
     * @param viewing members' interactions for co-watch similarity (only positive ones count), or null for none
     * @param lists   where each list goes besides the shard files (the similars table), or null
     */
    public static DataStream<ShardOutcome> build(StreamExecutionEnvironment env, ReadableConfig config, Catalog catalog,
            BuildPlan plan, DataStream<Rated> viewing, Sink<SimilarTitles> lists) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        if (config.getOptional(RestartStrategyOptions.RESTART_STRATEGY).isEmpty()) {
            // Without checkpoints Flink would not restart a failed task; a shard is safe to run again.
            Configuration restarts = new Configuration();
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, TASK_RETRIES);
            restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofSeconds(2));
            env.configure(restarts);
        }
        int shards = config.get(SimilarsOptions.SHARDS);
        if (shards < 1) {
            throw new IllegalArgumentException(SimilarsOptions.SHARDS.key() + " must be at least 1, not " + shards);
        }
        List<Integer> numbers = new ArrayList<>();
        for (int shard = 0; shard < shards; shard++) {
            numbers.add(shard);
        }
        DataStream<Integer> work = env.fromData(numbers).uid(OperatorUids.SIMILARS_SHARDS).name("shards").rebalance();
        if (viewing == null) {
            // Nothing to broadcast still needs a broadcast input; a record of weight 0 is ignored by the builder.
            viewing = env.fromData(List.of(new Rated("", "", 0f, 0L)), TypeInformation.of(Rated.class)).name("no viewing");
        }
        SingleOutputStreamOperator<ShardOutcome> outcomes = work
                .connect(viewing.broadcast(BuildShards.VIEWING))
                .process(new BuildShards(catalog, plan, config.get(SimilarsOptions.OUTPUT), shards, new ArtifactSource(config)))
                .returns(TypeInformation.of(ShardOutcome.class))
                .uid(OperatorUids.SIMILARS_BUILD)
                .name("build similars");
        if (lists != null) {
            outcomes.getSideOutput(BuildShards.LISTS).sinkTo(lists).uid(OperatorUids.SIMILARS_CASSANDRA_SINK).name("similars to Cassandra");
        }
        return outcomes;
    }

    /** The similars table as the lists' sink, when the configuration asks for it. */
    public static Sink<SimilarTitles> cassandraSink(ReadableConfig config, Instant builtAt) {
        return config.get(SimilarsOptions.WRITE_CASSANDRA) ? CassandraSink.of(new SimilarTitlesMapper(builtAt), config) : null;
    }
}
