package io.nearline.operators.trending;

import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrendingOptionsTest {

    @Test
    void defaultsAreAnHourSlidingByFiveMinutesTop25OfAtLeast3Plays() {
        assertThat(TrendingOptions.settings(new Configuration()))
                .isEqualTo(new TrendingOptions.Settings(Duration.ofHours(1), Duration.ofMinutes(5), 25, 3, Duration.ZERO));
    }

    @Test
    void badValuesFailNamingTheirOption() {
        Configuration slideLongerThanWindow = new Configuration();
        slideLongerThanWindow.set(TrendingOptions.WINDOW_SIZE, Duration.ofMinutes(5));
        slideLongerThanWindow.set(TrendingOptions.SLIDE, Duration.ofMinutes(10));
        assertThatThrownBy(() -> TrendingOptions.settings(slideLongerThanWindow))
                .hasMessageContaining(TrendingOptions.WINDOW_SIZE.key());

        Configuration noTitles = new Configuration();
        noTitles.set(TrendingOptions.TOP_N, 0);
        assertThatThrownBy(() -> TrendingOptions.settings(noTitles)).hasMessageContaining(TrendingOptions.TOP_N.key());

        Configuration noMinimum = new Configuration();
        noMinimum.set(TrendingOptions.MIN_COUNT, 0L);
        assertThatThrownBy(() -> TrendingOptions.settings(noMinimum)).hasMessageContaining(TrendingOptions.MIN_COUNT.key());

        Configuration negativeLateness = new Configuration();
        negativeLateness.set(TrendingOptions.ALLOWED_LATENESS, Duration.ofSeconds(-1));
        assertThatThrownBy(() -> TrendingOptions.settings(negativeLateness))
                .hasMessageContaining(TrendingOptions.ALLOWED_LATENESS.key());
    }
}
