package io.nearline.topology.similars;

import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.offline.Rated;
import io.nearline.operators.similars.BuildPlan;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CoWatch;
import io.nearline.operators.similars.ShardBuilder;
import io.nearline.operators.similars.ShardOutcome;
import io.nearline.schemas.similars.SimilarTitles;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.net.URI;

/**
 * Builds the shards it is given. The members' viewing comes broadcast (Flink's batch mode reads the broadcast
 * input first), so every task holds the whole co-watch index and builds its shards without a shuffle of
 * pairs; the catalog and the plan ship with the function. Each list built or read goes to {@link #LISTS}
 * for the similars table; the outcome of each algorithm in the shard goes out for the build's summary.
 */
public class BuildShards extends BroadcastProcessFunction<Integer, Rated, ShardOutcome> {

    private static final long serialVersionUID = 1L;

    /** Declared for Flink's broadcast; the pairs are kept in the co-watch index, not in broadcast state. */
    public static final MapStateDescriptor<String, String> VIEWING =
            new MapStateDescriptor<>("viewing", Types.STRING, Types.STRING);
    public static final OutputTag<SimilarTitles> LISTS = new OutputTag<>("similar-titles") {};

    private final Catalog catalog;
    private final BuildPlan plan;
    private final String output;
    private final int shards;
    private final ArtifactSource artifacts;

    private transient CoWatch.Builder viewing;
    private transient ShardBuilder builder;
    private transient ArtifactStore store;
    private transient Counter built;
    private transient Counter reused;
    private transient Counter failed;

    public BuildShards(Catalog catalog, BuildPlan plan, String output, int shards, ArtifactSource artifacts) {
        this.catalog = catalog;
        this.plan = plan;
        this.output = output;
        this.shards = shards;
        this.artifacts = artifacts;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        viewing = new CoWatch.Builder(catalog);
        store = artifacts.store(URI.create(output));
        var group = getRuntimeContext().getMetricGroup().addGroup("similars");
        built = group.counter("shardsBuilt");
        reused = group.counter("shardsReused");
        failed = group.counter("shardsFailed");
    }

    @Override
    public void processBroadcastElement(Rated rated, Context ctx, Collector<ShardOutcome> out) {
        // Only what members chose to watch; negative signals say nothing about similarity.
        if (rated.weight > 0) {
            viewing.add(rated.member, rated.title);
        }
    }

    @Override
    public void processElement(Integer shard, ReadOnlyContext ctx, Collector<ShardOutcome> out) {
        if (builder == null) {
            builder = new ShardBuilder(plan, catalog, plan.usesCoWatch() ? viewing.build() : CoWatch.none(), URI.create(output), shards);
            viewing = null;
        }
        for (ShardOutcome outcome : builder.build(shard, store, list -> ctx.output(LISTS, list))) {
            switch (outcome.status) {
                case BUILT -> built.inc();
                case REUSED -> reused.inc();
                case FAILED -> failed.inc();
            }
            out.collect(outcome);
        }
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
