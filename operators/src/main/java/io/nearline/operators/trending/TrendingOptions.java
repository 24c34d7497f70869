package io.nearline.operators.trending;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;

import java.io.Serializable;
import java.time.Duration;

/** Settings of "Trending Now": the most played titles per region in sliding event-time windows. */
public final class TrendingOptions {

    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("nearline.trending.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Whether the job computes trending rows: written to the result sinks of "
                    + "nearline.job.result-sinks, and the top-picks fallback of members with too little history "
                    + "(their region's row, else ALL's, then the model's popularity). Off, the trending operators are "
                    + "not in the job; a savepoint with their state then restores only with Flink's "
                    + "execution.state-recovery.ignore-unclaimed-state.");

    public static final ConfigOption<Duration> WINDOW_SIZE = ConfigOptions.key("nearline.trending.window-size")
            .durationType()
            .defaultValue(Duration.ofHours(1))
            .withDescription("How much event time one trending window covers: a title trends by its plays in the last "
                    + "window-size.");

    public static final ConfigOption<Duration> SLIDE = ConfigOptions.key("nearline.trending.slide")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How often (in event time) a new window ends and each region's trending row is replaced. "
                    + "Each play is counted in window-size / slide windows, so a smaller slide costs proportionally "
                    + "more state writes.");

    public static final ConfigOption<Integer> TOP_N = ConfigOptions.key("nearline.trending.top-n")
            .intType()
            .defaultValue(25)
            .withDescription("How many titles a trending row holds at most, most played first.");

    public static final ConfigOption<Long> MIN_COUNT = ConfigOptions.key("nearline.trending.min-count")
            .longType()
            .defaultValue(3L)
            .withDescription("Plays a title needs within a window to appear in its region's row; keeps a handful "
                    + "of plays in a small region from making a title trend. A region whose titles all fall below "
                    + "it gets an empty row, replacing the previous one.");

    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions.key("nearline.trending.allowed-lateness")
            .durationType()
            .defaultValue(Duration.ZERO)
            .withDescription("How long past a window's end plays that arrive behind the watermark still count. Each "
                    + "window's row is emitted this much later (in event time), once, so it includes them; plays later "
                    + "still are dropped and counted in the window operator's numLateRecordsDropped metric. Lateness "
                    + "within nearline.events.max-out-of-orderness is already covered by the watermark.");

    private TrendingOptions() {}

    /** The checked settings; a bad value fails with a message naming its option. */
    public static Settings settings(ReadableConfig config) {
        Duration size = config.get(WINDOW_SIZE);
        Duration slide = config.get(SLIDE);
        if (slide.toMillis() < 1) {
            throw new IllegalArgumentException(SLIDE.key() + " must be at least 1 ms");
        }
        if (size.compareTo(slide) < 0) {
            throw new IllegalArgumentException(WINDOW_SIZE.key() + " (" + size + ") must not be shorter than "
                    + SLIDE.key() + " (" + slide + ")");
        }
        int topN = config.get(TOP_N);
        if (topN < 1) {
            throw new IllegalArgumentException(TOP_N.key() + " must be at least 1");
        }
        long minCount = config.get(MIN_COUNT);
        if (minCount < 1) {
            throw new IllegalArgumentException(MIN_COUNT.key() + " must be at least 1");
        }
        Duration lateness = config.get(ALLOWED_LATENESS);
        if (lateness.isNegative()) {
            throw new IllegalArgumentException(ALLOWED_LATENESS.key() + " must not be negative");
        }
        return new Settings(size, slide, topN, minCount, lateness);
    }

    /** The checked settings, carried to the operators. */
    public record Settings(Duration windowSize, Duration slide, int topN, long minCount, Duration allowedLateness)
            implements Serializable {

        /**
         * The length of the panes plays are counted in: the greatest common divisor of size and slide, so that
         * every window is a whole number of panes (the slide itself with the defaults).
         */
        public Duration pane() {
            return Duration.ofMillis(gcd(windowSize.toMillis(), slide.toMillis()));
        }

        private static long gcd(long a, long b) {
            return b == 0 ? a : gcd(b, a % b);
        }
    }
}
