package io.nearline.operators.members;

import java.io.Serializable;
import java.time.Duration;

/**
 * What {@link MemberRecommender} needs of the job's options, built and checked at submission
 * ({@link MemberOptions#settings}): the job graph ships these values, not a copy of the whole configuration.
 */
public record MemberSettings(Recommender.Settings recommender, InteractionWeights weights, Duration stateTtl,
        Duration debounce, Duration scoringBatchDelay, Duration catchUpDelay, Duration factorWriteInterval,
        int explainedTitles, int becauseYouWatchedRows, String modelName, int modelRank, int retainedVersions,
        int loadThreads, String similarsAlgorithm) implements Serializable {
}
