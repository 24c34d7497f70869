package io.nearline.topology.eval;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.als.TopN;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.UiEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The evaluation protocol of ARCHITECTURE.md: ratings in time order, the first part trains the offline
 * model, the rest is replayed. For each replayed interaction of a member with history, each system is
 * first asked whether the title is in the member's current top 10 (seen titles excluded), then the
 * interaction is applied. Ratings become rating events weighted by {@link InteractionWeights}, and the
 * nearline system is {@link Recommender}, the code the job's member operator runs.
 */
public final class PrequentialEvaluation {

    /** Hit rates at 10 and how many interactions were asked about. */
    public record Result(double popularity, double stale, double nearline, int events, int trainInteractions,
            int replayed, ModelArtifact model) {}

    private static final int K = 10;

    private final InteractionWeights weights;
    private final Recommender recommender;
    private final ImplicitAls.Settings settings;
    private final double trainFraction;

    /** @param recommender built with a row length of 10 */
    public PrequentialEvaluation(InteractionWeights weights, Recommender recommender, ImplicitAls.Settings settings,
            double trainFraction) {
        this.weights = weights;
        this.recommender = recommender;
        this.settings = settings;
        this.trainFraction = trainFraction;
    }

    public Result run(List<RatingsFile.Rating> ratings) {
        int split = (int) Math.round(ratings.size() * trainFraction);
        Map<String, List<Interaction>> history = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(0, split)) {
            apply(rating, history, seen);
        }
        Map<String, List<Interaction>> training = new HashMap<>();
        history.forEach((member, interactions) -> training.put(member, new ArrayList<>(interactions)));
        LocalTrainer.Trained trained = LocalTrainer.train(training, recommender.history(), settings, "als", "eval");
        ModelArtifact model = trained.model();

        TopN staleTopN = new TopN();
        int events = 0;
        int popularHits = 0;
        int staleHits = 0;
        int nearlineHits = 0;
        Map<String, double[]> nearlineFactors = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(split, ratings.size())) {
            List<Interaction> interactions = history.get(rating.member());
            if (interactions != null && !interactions.isEmpty()) {
                events++;
                Set<String> memberSeen = seen.get(rating.member());
                if (popular(model, memberSeen).contains(rating.title())) {
                    popularHits++;
                }
                double[] staleFactor = trained.memberFactors().get(rating.member());
                List<String> staleTop = staleFactor == null ? popular(model, memberSeen)
                        : top(staleTopN, model, staleFactor, memberSeen);
                if (staleTop.contains(rating.title())) {
                    staleHits++;
                }
                List<Interaction> compacted = recommender.history().compact(interactions);
                history.put(rating.member(), compacted);
                long now = compacted.get(compacted.size() - 1).time;
                Recommender.Result result = recommender.recommend(model, compacted, now, nearlineFactors.get(rating.member()));
                if (result.factor() != null) {
                    nearlineFactors.put(rating.member(), result.factor());
                }
                if (result.titles().contains(rating.title())) {
                    nearlineHits++;
                }
            }
            apply(rating, history, seen);
        }
        return new Result(rate(popularHits, events), rate(staleHits, events), rate(nearlineHits, events), events,
                split, ratings.size() - split, model);
    }

    /**
     * The nearline HR@10 of a model trained elsewhere (on the first part, as {@link #run} does), by the same
     * replay: for comparing training methods on the protocol.
     */
    public double nearlineHitRate(List<RatingsFile.Rating> ratings, ModelArtifact model) {
        int split = (int) Math.round(ratings.size() * trainFraction);
        Map<String, List<Interaction>> history = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(0, split)) {
            apply(rating, history, seen);
        }
        int events = 0;
        int hits = 0;
        Map<String, double[]> factors = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(split, ratings.size())) {
            List<Interaction> interactions = history.get(rating.member());
            if (interactions != null && !interactions.isEmpty()) {
                events++;
                List<Interaction> compacted = recommender.history().compact(interactions);
                history.put(rating.member(), compacted);
                Recommender.Result result = recommender.recommend(model, compacted, compacted.get(compacted.size() - 1).time,
                        factors.get(rating.member()));
                if (result.factor() != null) {
                    factors.put(rating.member(), result.factor());
                }
                hits += result.titles().contains(rating.title()) ? 1 : 0;
            }
            apply(rating, history, seen);
        }
        return rate(hits, events);
    }

    private void apply(RatingsFile.Rating rating, Map<String, List<Interaction>> history, Map<String, Set<String>> seen) {
        UiEvent event = UiEvents.event("r", rating.member(), Instant.ofEpochMilli(rating.time()),
                Rating.newBuilder().setTitleId(rating.title()).setStars(rating.stars()).build());
        Interaction interaction = weights.interaction(event);
        if (interaction != null) {
            history.computeIfAbsent(rating.member(), m -> new ArrayList<>()).add(interaction);
        }
        seen.computeIfAbsent(rating.member(), m -> new HashSet<>()).add(rating.title());
    }

    private static List<String> popular(ModelArtifact model, Set<String> seen) {
        List<String> top = new ArrayList<>(K);
        for (String title : model.popular()) {
            if (top.size() == K) {
                break;
            }
            if (!seen.contains(title)) {
                top.add(title);
            }
        }
        return top;
    }

    private static List<String> top(TopN topN, ModelArtifact model, double[] factor, Set<String> seen) {
        int[] excluded = new int[seen.size()];
        int count = 0;
        for (String title : seen) {
            int row = model.row(title);
            if (row >= 0) {
                excluded[count++] = row;
            }
        }
        int n = topN.select(model.scoringFactors(), factor, excluded, count, K);
        List<String> top = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            top.add(model.itemId(topN.row(i)));
        }
        return top;
    }

    private static double rate(int hits, int events) {
        return events == 0 ? 0 : (double) hits / events;
    }
}
