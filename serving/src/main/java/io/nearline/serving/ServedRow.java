package io.nearline.serving;

import java.util.List;

/**
 * One row of an answer, with where it came from: {@code source} is {@value #CACHE}, {@value #CASSANDRA},
 * {@value #TRENDING} or {@value #POPULARITY} (the last two are the precomputed fallback); {@code ageMs} is how long
 * ago the row was computed; {@code anchor} the title a row is about (the watched title of a because-you-watched
 * row), or null.
 */
public record ServedRow(String name, String anchor, List<String> titles, List<Float> scores, String source, String modelName,
        String modelVersion, long computedAt, long ageMs) {

    public static final String CACHE = "cache";
    public static final String CASSANDRA = "cassandra";
    public static final String TRENDING = "fallback-trending";
    public static final String POPULARITY = "fallback-popularity";

    ServedRow withTitles(List<String> newTitles, List<Float> newScores) {
        return new ServedRow(name, anchor, newTitles, newScores, source, modelName, modelVersion, computedAt, ageMs);
    }

    ServedRow agedAt(long now) {
        return new ServedRow(name, anchor, titles, scores, source, modelName, modelVersion, computedAt,
                computedAt <= 0 ? 0 : Math.max(0, now - computedAt));
    }
}
