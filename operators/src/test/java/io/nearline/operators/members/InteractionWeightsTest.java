package io.nearline.operators.members;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.PlayStopped;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.Thumb;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class InteractionWeightsTest {

    private final InteractionWeights weights = new InteractionWeights(new Configuration());
    private final Instant time = Instant.parse("2026-11-22T10:00:00Z");

    private Interaction of(Object payload) {
        return weights.interaction(UiEvents.event("e", "m", time, payload));
    }

    @Test
    void completedPlaysCountMoreThanStartedOnes() {
        Interaction started = of(UiEvents.payload(EventKind.PLAY_STARTED, "t"));
        Interaction completed = of(UiEvents.payload(EventKind.PLAY_COMPLETED, "t"));
        assertThat(completed.weight).isGreaterThan(started.weight).isPositive();
        assertThat(started.weight).isPositive();
        assertThat(completed.titleId).isEqualTo("t");
        assertThat(completed.time).isEqualTo(time.toEpochMilli());
    }

    @Test
    void negativeSignalsLowerATitle() {
        assertThat(of(new PlayStopped("t", 30.0, 5400.0)).weight).isNegative();
        assertThat(of(new Rating("t", Thumb.DOWN, null)).weight).isNegative();
        assertThat(of(UiEvents.payload(EventKind.LIST_REMOVE, "t")).weight).isNegative();
        assertThat(of(new Rating("t", Thumb.UP, null)).weight).isPositive();
        assertThat(of(UiEvents.payload(EventKind.LIST_ADD, "t")).weight).isPositive();
    }

    @Test
    void aPlayStoppedLateCountsByTheFractionWatched() {
        Interaction half = of(new PlayStopped("t", 2700.0, 5400.0));
        Interaction completed = of(UiEvents.payload(EventKind.PLAY_COMPLETED, "t"));
        assertThat(half.weight).isEqualTo(completed.weight / 2);
    }

    @Test
    void moreStarsWeighMoreAndWeightsComeFromConfiguration() {
        assertThat(of(new Rating("t", null, 5.0)).weight).isGreaterThan(of(new Rating("t", null, 2.0)).weight);
        Configuration config = new Configuration();
        config.set(WeightOptions.RATING_NEUTRAL_STARS, 3.0);
        InteractionWeights strict = new InteractionWeights(config);
        assertThat(strict.interaction(UiEvents.event("e", "m", time, new Rating("t", null, 1.0))).weight).isNegative();
    }

    @Test
    void browsingAndImpressionsAreNotInteractions() {
        assertThat(of(UiEvents.payload(EventKind.BROWSE, "t"))).isNull();
        assertThat(of(UiEvents.payload(EventKind.IMPRESSION, "t"))).isNull();
        assertThat(of(UiEvents.payload(EventKind.SEARCH, "t"))).isNull();
    }
}
