package io.nearline.operators.members;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import static io.nearline.operators.config.OptionChecks.atLeast;
import static io.nearline.operators.config.OptionChecks.between01;
import static io.nearline.operators.config.OptionChecks.nonNegative;

/**
 * How the member's rows are ranked: a blend of the fold-in score, the item-to-item score of the member's recent
 * titles and a popularity prior ({@link HybridRanker}). The defaults were chosen by {@code bin/nearline eval --tune}
 * on the validation slice of MovieLens 100k (docs/evaluation.md).
 */
public final class RankerOptions {

    public static final ConfigOption<Double> FOLD_IN_WEIGHT = ConfigOptions.key("nearline.ranker.fold-in-weight")
            .doubleType().defaultValue(1.0)
            .withDescription("Weight of the fold-in score (the member's factor against the titles'), scaled so that the "
                    + "member's best title scores 1.");

    public static final ConfigOption<Double> SEQUENCE_WEIGHT = ConfigOptions.key("nearline.ranker.sequence-weight")
            .doubleType().defaultValue(1.0)
            .withDescription("Weight of the item-to-item score: the neighbours of the member's most recent titles (from "
                    + "the model artifact's neighbour table), scaled so that the member's best title scores 1. 0 ranks "
                    + "by the fold-in alone.");

    public static final ConfigOption<Double> POPULARITY_WEIGHT = ConfigOptions.key("nearline.ranker.popularity-weight")
            .doubleType().defaultValue(1.0)
            .withDescription("Weight of the popularity prior (1 for the model's most popular title, falling along its "
                    + "popularity row), for members with little history: it is multiplied by h / (h + n), with n the "
                    + "member's positive titles and h nearline.ranker.popularity-history.");

    public static final ConfigOption<Integer> POPULARITY_HISTORY = ConfigOptions.key("nearline.ranker.popularity-history")
            .intType().defaultValue(5)
            .withDescription("The number of positive titles at which the popularity prior has half its weight.");

    public static final ConfigOption<Integer> RECENT_TITLES = ConfigOptions.key("nearline.ranker.recent-titles")
            .intType().defaultValue(5)
            .withDescription("How many of the member's most recent positive titles the item-to-item score sums over.");

    public static final ConfigOption<Double> RECENCY_DECAY = ConfigOptions.key("nearline.ranker.recency-decay")
            .doubleType().defaultValue(0.8)
            .withDescription("The newest title counts 1 in the item-to-item score, the one before it this much, the one "
                    + "before that this squared, and so on (between 0 and 1).");

    public static final ConfigOption<Integer> CANDIDATES = ConfigOptions.key("nearline.ranker.candidates")
            .intType().defaultValue(100)
            .withDescription("Titles the fold-in and the item-to-item score each propose to the blend (their best this "
                    + "many), besides the most popular titles. At least the row length; each costs an exact score.");

    public static final ConfigOption<Integer> RETRIEVAL_TITLES = ConfigOptions.key("nearline.ranker.retrieval-titles")
            .intType().defaultValue(5)
            .withDescription("If positive, the fold-in scores only the titles retrieved for the member, not the whole "
                    + "catalog: the best nearline.ranker.candidates neighbours of each of the member's this many most "
                    + "recent titles (from the model's neighbour table), the item-to-item score's best and the "
                    + "nearline.ranker.candidates most popular titles. Scoring every title is most of a recompute's cost "
                    + "on a large catalog (bin/nearline bench foldin). 0, or a model without a neighbour table, scores "
                    + "every title.");

    private RankerOptions() {}

    /** The blend's settings, checked: a bad value is refused with the option's name. */
    public static HybridRanker.Settings settings(ReadableConfig config) {
        return new HybridRanker.Settings(
                nonNegative(config, FOLD_IN_WEIGHT), nonNegative(config, SEQUENCE_WEIGHT), nonNegative(config, POPULARITY_WEIGHT),
                atLeast(config, POPULARITY_HISTORY, 0), atLeast(config, RECENT_TITLES, 0),
                between01(config, RECENCY_DECAY), atLeast(config, CANDIDATES, 1), atLeast(config, RETRIEVAL_TITLES, 0));
    }
}
