package io.nearline.savepoints;

import io.nearline.operators.members.EmittedRow;
import io.nearline.operators.members.FactorState;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionHistory;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.trending.PlaysByRegion;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.ReadableConfig;

import java.net.URI;
import java.util.List;

/**
 * Recomputes a member against one model as the job's recompute does: compacts the member's interactions, folds
 * the member's factor in and picks the member's top titles (Trending Now overall for members with too little
 * history, when the savepoint has it). The member's previous factor and row are replaced.
 */
public class RecomputeMembers extends RichMapFunction<MemberSnapshot, MemberSnapshot> {

    private static final long serialVersionUID = 1L;

    private final Recommender.Settings settings;
    private final ArtifactSource artifacts;
    private final int rank;
    private final ArtifactDescriptor descriptor;
    private final TrendingRow trendingOverall;
    private final long computedAt;
    private final String counterName;
    private transient LongCounter recomputed;
    private transient ModelArtifact model;
    private transient Recommender recommender;

    /**
     * @param trendingOverall the savepoint's Trending Now row for all regions, or null
     * @param computedAt the time recorded as the factors' and rows' computation time
     * @param counterName the accumulator counting the members recomputed
     */
    public RecomputeMembers(ReadableConfig config, ArtifactDescriptor descriptor, TrendingRow trendingOverall, long computedAt,
            String counterName) {
        this.settings = MemberOptions.recommender(config);
        this.artifacts = new ArtifactSource(config);
        this.rank = config.get(ModelOptions.RANK);
        this.descriptor = descriptor;
        this.trendingOverall = trendingOverall;
        this.computedAt = computedAt;
        this.counterName = counterName;
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        byte[] bytes = artifacts.read(URI.create(descriptor.getUri()));
        model = ModelArtifacts.read(bytes, descriptor.getSizeBytes(), descriptor.getSha256(), rank);
        recommender = new Recommender(settings);
        recomputed = new LongCounter();
        getRuntimeContext().addAccumulator(counterName, recomputed);
    }

    @Override
    public MemberSnapshot map(MemberSnapshot member) {
        List<Interaction> compacted = recommender.history().compact(member.allInteractions());
        if (compacted.isEmpty()) {
            // Nothing to recompute from (the member's interactions expired): the job drops such members too.
            return new MemberSnapshot(member.member, null, null, null, null);
        }
        long newest = Long.MIN_VALUE;
        for (Interaction interaction : compacted) {
            newest = Math.max(newest, interaction.time);
        }
        Recommender.Result result = recommender.recommend(model, compacted, newest, null);
        String rowVersion = model.version();
        if (!result.personalised() && trendingOverall != null && PlaysByRegion.ALL.equals(trendingOverall.getRegion())
                && !trendingOverall.getTitles().isEmpty()) {
            result = recommender.trending(trendingOverall, result, compacted);
            rowVersion = trendingOverall.getRegion() + "@" + trendingOverall.getWindowEnd();
        }
        FactorState factor = null;
        if (result.factor() != null) {
            float[] values = new float[result.factor().length];
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) result.factor()[k];
            }
            factor = new FactorState(model.name(), model.version(), values, computedAt);
        }
        EmittedRow row = new EmittedRow(RowNames.TOP_PICKS, result.titles().toArray(new String[0]), rowVersion,
                computedAt, newest);
        recomputed.add(1);
        return new MemberSnapshot(member.member, InteractionHistory.of(compacted), new Interaction[0], factor, row);
    }
}
