package io.nearline.operators.members;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.similars.SimilarsIndex;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.util.Collector;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds and emits a member's rows from its scored titles: top picks (Trending Now of the member's region instead
 * when the titles are not personalised) and "because you watched" in a fixed number of slots
 * ({@code because-you-watched:1} is about the newest watched title, and so on; each row names its title as its
 * anchor), from the model's neighbour table or, for a model without one, the similars result serving now. The
 * top-picks row is remembered as the member's last emitted row.
 */
final class RowEmitter {

    private final Recommender recommender;
    private final ValueState<EmittedRow> lastEmitted;
    private final TrendingFallback trending;
    private final Supplier<SimilarsIndex> similars;
    private final Histogram freshness;
    private final int slots;

    RowEmitter(Recommender recommender, ValueState<EmittedRow> lastEmitted, TrendingFallback trending,
            Supplier<SimilarsIndex> similars, Histogram freshness, int slots) {
        this.slots = slots;
        this.recommender = recommender;
        this.lastEmitted = lastEmitted;
        this.trending = trending;
        this.similars = similars;
        this.freshness = freshness;
    }

    void emit(String member, ScoringBatch.Pending pending, Recommender.Result result, long now,
            Collector<RecommendationRow> out) throws Exception {
        ModelArtifact model = pending.model();
        List<Interaction> compacted = pending.compacted();
        long newestEventTime = pending.newestEventTime();
        String rowModel = model.name();
        String rowVersion = model.version();
        TrendingRow fallback = result.personalised() ? null : trending.rowFor(pending.country());
        if (fallback != null) {
            result = recommender.trending(fallback, result, compacted);
            rowModel = MemberRecommender.TRENDING;
            rowVersion = fallback.getRegion() + "@" + fallback.getWindowEnd();
        }
        out.collect(row(member, RowNames.TOP_PICKS, result.titles(), result.scores(), rowModel, rowVersion,
                now, newestEventTime, null));
        lastEmitted.update(new EmittedRow(RowNames.TOP_PICKS, result.titles().toArray(new String[0]), rowVersion,
                now, newestEventTime));
        List<Recommender.BecauseYouWatched> because = recommender.becauseYouWatched(model, similars.get(), compacted, slots);
        for (int slot = 0; slot < because.size(); slot++) {
            Recommender.BecauseYouWatched row = because.get(slot);
            out.collect(row(member, RowNames.BECAUSE_YOU_WATCHED + (slot + 1), row.titles(), row.scores(),
                    row.sourceName(), row.sourceVersion(), now, newestEventTime, row.watched()));
        }
        freshness.update(Math.max(0, System.currentTimeMillis() - newestEventTime));
    }

    private static RecommendationRow row(String member, String name, List<String> titles, List<Float> scores,
            String modelName, String modelVersion, long now, long newestEventTime, String anchorTitle) {
        return RecommendationRow.newBuilder()
                .setMemberId(member)
                .setRowName(name)
                .setTitles(titles)
                .setScores(scores)
                .setModelName(modelName)
                .setModelVersion(modelVersion)
                .setComputedAt(Instant.ofEpochMilli(now))
                .setNewestEventTime(Instant.ofEpochMilli(newestEventTime))
                .setAnchorTitle(anchorTitle)
                .build();
    }
}
