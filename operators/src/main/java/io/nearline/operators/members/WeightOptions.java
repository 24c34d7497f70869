package io.nearline.operators.members;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** How much each kind of interaction counts, shared by the nearline job, training and evaluation. */
public final class WeightOptions {

    public static final ConfigOption<Double> PLAY_STARTED = ConfigOptions.key("nearline.weights.play-started")
            .doubleType().defaultValue(0.5)
            .withDescription("Weight of starting a play.");

    public static final ConfigOption<Double> PLAY_COMPLETED = ConfigOptions.key("nearline.weights.play-completed")
            .doubleType().defaultValue(2.0)
            .withDescription("Weight of finishing a play. A play stopped after the short-play time counts this much "
                    + "times the fraction watched.");

    public static final ConfigOption<Double> SHORT_PLAY = ConfigOptions.key("nearline.weights.short-play")
            .doubleType().defaultValue(-1.0)
            .withDescription("Weight of a play stopped within the short-play time: a negative signal.");

    public static final ConfigOption<Duration> SHORT_PLAY_TIME = ConfigOptions.key("nearline.weights.short-play-time")
            .durationType().defaultValue(Duration.ofMinutes(2))
            .withDescription("A play stopped before this position counts as a short play.");

    public static final ConfigOption<Double> RATING_PER_STAR = ConfigOptions.key("nearline.weights.rating-per-star")
            .doubleType().defaultValue(0.4)
            .withDescription("Weight per star of a star rating, for stars above the neutral stars.");

    public static final ConfigOption<Double> RATING_NEUTRAL_STARS = ConfigOptions.key("nearline.weights.rating-neutral-stars")
            .doubleType().defaultValue(0.0)
            .withDescription("Stars that count as nothing; fewer stars count as a negative signal. 0 makes every "
                    + "rating a positive signal (the member chose to watch the title).");

    public static final ConfigOption<Double> THUMB_UP = ConfigOptions.key("nearline.weights.thumb-up")
            .doubleType().defaultValue(1.5)
            .withDescription("Weight of a thumbs up.");

    public static final ConfigOption<Double> THUMB_DOWN = ConfigOptions.key("nearline.weights.thumb-down")
            .doubleType().defaultValue(-2.0)
            .withDescription("Weight of a thumbs down: a negative signal.");

    public static final ConfigOption<Double> LIST_ADD = ConfigOptions.key("nearline.weights.list-add")
            .doubleType().defaultValue(1.0)
            .withDescription("Weight of adding a title to My List.");

    public static final ConfigOption<Double> LIST_REMOVE = ConfigOptions.key("nearline.weights.list-remove")
            .doubleType().defaultValue(-0.5)
            .withDescription("Weight of removing a title from My List.");

    public static final ConfigOption<Duration> HALF_LIFE = ConfigOptions.key("nearline.weights.half-life")
            .durationType().defaultValue(Duration.ofDays(1))
            .withDescription("Half-life of an interaction's weight, counted back from the member's newest event; 0 for no "
                    + "decay. A decayed interaction keeps its preference and only loses confidence, so the member's "
                    + "current session dominates without older tastes being forgotten.");

    private WeightOptions() {}
}
