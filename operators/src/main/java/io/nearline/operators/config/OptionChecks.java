package io.nearline.operators.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.time.Duration;

/**
 * Range checks of option values, run when settings are built at submission: a value out of range is refused with
 * a one-line message naming its option, never clamped on a TaskManager.
 */
public final class OptionChecks {

    private OptionChecks() {}

    public static int atLeast(ReadableConfig config, ConfigOption<Integer> option, int least) {
        int value = config.get(option);
        if (value < least) {
            throw new IllegalArgumentException(option.key() + " must be at least " + least + ", not " + value);
        }
        return value;
    }

    public static double finite(ReadableConfig config, ConfigOption<Double> option) {
        double value = config.get(option);
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(option.key() + " must be a finite number, not " + value);
        }
        return value;
    }

    public static double nonNegative(ReadableConfig config, ConfigOption<Double> option) {
        double value = config.get(option);
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(option.key() + " must be a finite number of at least 0, not " + value);
        }
        return value;
    }

    public static double between01(ReadableConfig config, ConfigOption<Double> option) {
        double value = config.get(option);
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(option.key() + " must be between 0 and 1, not " + value);
        }
        return value;
    }

    public static Duration positive(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option.key() + " must be longer than 0, not " + value);
        }
        return value;
    }

    public static Duration notNegative(ReadableConfig config, ConfigOption<Duration> option) {
        Duration value = config.get(option);
        if (value.isNegative()) {
            throw new IllegalArgumentException(option.key() + " must not be negative, not " + value);
        }
        return value;
    }
}
