package io.nearline.topology.eval;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.als.TopN;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionWeights;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.UiEvent;
import org.apache.flink.configuration.Configuration;

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
 * nearline system is {@link Recommender}, the code the job's member operator runs, with the job's options.
 */
public final class PrequentialEvaluation {

    /**
     * Hit rates at 10 of each system, the production ranker's NDCG@10 and the share of the model's titles that it
     * put in any top 10, and how many interactions were asked about. The components (the ranker's fold-in alone,
     * its item-to-item score alone) are NaN when not asked for.
     */
    public record Result(double popularity, double stale, double nearline, double foldInOnly, double sequenceOnly,
            double ndcg, double coverage, int events, int trainInteractions, int replayed, ModelArtifact model) {}

    private static final int K = 10;

    private final Configuration config;
    private final InteractionWeights weights;
    private final ImplicitAls.Settings settings;
    private final double trainFraction;
    private final boolean components;

    /**
     * @param config the job's options (weights, member and ranker options, neighbour training)
     * @param components whether to replay the ranker's components alone too (three times the replay's cost)
     */
    public PrequentialEvaluation(Configuration config, ImplicitAls.Settings settings, double trainFraction, boolean components) {
        this.config = new Configuration(config);
        this.config.set(MemberOptions.ROW_LENGTH, K);
        this.weights = new InteractionWeights(this.config);
        this.settings = settings;
        this.trainFraction = trainFraction;
        this.components = components;
    }

    public Result run(List<RatingsFile.Rating> ratings) {
        return replay(ratings, train(ratings));
    }

    /** Trains the model of {@link #run} on the first part of the ratings. */
    public LocalTrainer.Trained train(List<RatingsFile.Rating> ratings) {
        int split = (int) Math.round(ratings.size() * trainFraction);
        Map<String, List<Interaction>> history = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(0, split)) {
            apply(rating, history, seen);
        }
        return LocalTrainer.train(history, new Recommender(config).history(), settings, NeighbourOptions.settings(config),
                "als", "eval");
    }

    /** Replays the rest of the ratings against a model {@link #train} trained with the same settings. */
    public Result replay(List<RatingsFile.Rating> ratings, LocalTrainer.Trained trained) {
        int split = (int) Math.round(ratings.size() * trainFraction);
        Map<String, List<Interaction>> history = new HashMap<>();
        Map<String, Set<String>> seen = new HashMap<>();
        for (RatingsFile.Rating rating : ratings.subList(0, split)) {
            apply(rating, history, seen);
        }
        Recommender nearline = new Recommender(config);
        ModelArtifact model = trained.model();
        Replayed replayedNearline = new Replayed(nearline);
        Replayed foldInOnly = components ? new Replayed(new Recommender(blend(1, 0, 0))) : null;
        Replayed sequenceOnly = components ? new Replayed(new Recommender(blend(0, 1, 0))) : null;

        TopN staleTopN = new TopN();
        int events = 0;
        int popularHits = 0;
        int staleHits = 0;
        double ndcg = 0;
        Set<String> served = new HashSet<>();
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
                List<Interaction> compacted = nearline.history().compact(interactions);
                history.put(rating.member(), compacted);
                List<String> top = replayedNearline.ask(model, rating, compacted);
                int position = top.indexOf(rating.title());
                ndcg += position < 0 ? 0 : 1 / (Math.log(position + 2) / Math.log(2));
                served.addAll(top);
                if (components) {
                    foldInOnly.ask(model, rating, compacted);
                    sequenceOnly.ask(model, rating, compacted);
                }
            }
            apply(rating, history, seen);
        }
        return new Result(rate(popularHits, events), rate(staleHits, events), rate(replayedNearline.hits, events),
                components ? rate(foldInOnly.hits, events) : Double.NaN,
                components ? rate(sequenceOnly.hits, events) : Double.NaN,
                events == 0 ? 0 : ndcg / events, model.numItems() == 0 ? 0 : (double) served.size() / model.numItems(),
                events, split, ratings.size() - split, model);
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
        Replayed replayed = new Replayed(new Recommender(config));
        int events = 0;
        for (RatingsFile.Rating rating : ratings.subList(split, ratings.size())) {
            List<Interaction> interactions = history.get(rating.member());
            if (interactions != null && !interactions.isEmpty()) {
                events++;
                List<Interaction> compacted = replayed.recommender.history().compact(interactions);
                history.put(rating.member(), compacted);
                replayed.ask(model, rating, compacted);
            }
            apply(rating, history, seen);
        }
        return rate(replayed.hits, events);
    }

    /** One ranker replayed: its members' warm starts and its hits. */
    private static final class Replayed {
        final Recommender recommender;
        final Map<String, double[]> factors = new HashMap<>();
        int hits;

        Replayed(Recommender recommender) {
            this.recommender = recommender;
        }

        List<String> ask(ModelArtifact model, RatingsFile.Rating rating, List<Interaction> compacted) {
            long now = compacted.get(compacted.size() - 1).time;
            Recommender.Result result = recommender.recommend(model, compacted, now, factors.get(rating.member()));
            if (result.factor() != null) {
                factors.put(rating.member(), result.factor());
            }
            hits += result.titles().contains(rating.title()) ? 1 : 0;
            return result.titles();
        }
    }

    private Configuration blend(double foldIn, double sequence, double popularity) {
        Configuration variant = new Configuration(config);
        variant.set(RankerOptions.FOLD_IN_WEIGHT, foldIn);
        variant.set(RankerOptions.SEQUENCE_WEIGHT, sequence);
        variant.set(RankerOptions.POPULARITY_WEIGHT, popularity);
        return variant;
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
